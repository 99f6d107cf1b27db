package io.rnnstream.models.captions;

/**
 * A word of a caption with its time span on the stream, in milliseconds since the stream's first
 * sample: from the frame of its first character to the end of the frame of its last character
 * (CTC emits a character at one frame of its run, so the span is approximate, to about a frame).
 */
public record CaptionWord(String text, long startMs, long endMs) {}
