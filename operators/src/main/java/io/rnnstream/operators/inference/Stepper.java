package io.rnnstream.operators.inference;

import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.model.RnnState;
import io.rnnstream.models.model.Workspace;
import io.rnnstream.operators.api.InferenceConfig;
import io.rnnstream.operators.api.Mode;
import io.rnnstream.operators.api.RnnEvent;
import io.rnnstream.operators.api.RnnOutput;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Runs an event's inputs through one key's {@link SequenceState} on one model version, and
 * closes segments. Per step of an event of {@code steps} rows ({@code e.x}: steps x width
 * floats, or {@code steps} token ids):
 *
 * <pre>
 * unidirectional, per-step outputs   segment state (and rolling state) stepped; MANY_TO_MANY
 *                                    emits a STEP output per step
 * bidirectional or segmentOutputs    the row appended to the open segment; the whole segment
 *                                    runs through model.forward when it closes
 * every step                         the row remembered for REPLAY_LAST_N, segmentSteps + 1
 * </pre>
 *
 * At a segment end: MANY_TO_ONE emits the SEGMENT output (and the ROLLING one), a buffered
 * segment emits its forward pass (STEPS, STEP per row, or SEGMENT). The same per-step
 * bookkeeping ({@link #afterStep}) completes steps that a micro-batch computed.
 */
final class Stepper {
  private final InferenceConfig config;
  private final EventInputs inputs;
  // two per model: the segment state's and the rolling state's
  private final Map<RnnModel, Workspace[]> workspaces = new IdentityHashMap<>();

  Stepper(InferenceConfig config, EventInputs inputs) {
    this.config = config;
    this.inputs = inputs;
  }

  /** The event's number of steps for {@code model}, or throws with why it cannot be used. */
  int steps(RnnEvent e, RnnModel model, SequenceState st) {
    int steps = inputs.validate(e, model);
    if (steps > config.maxStepsPerEvent()) {
      throw new EventInputs.InvalidEventException("event has " + steps + " steps, more than"
          + " maxStepsPerEvent=" + config.maxStepsPerEvent());
    }
    if (buffersSegments(model) && st.openRows + steps > config.maxSegmentSteps()) {
      throw new EventInputs.InvalidEventException("the open segment would exceed"
          + " maxSegmentSteps=" + config.maxSegmentSteps() + "; close segments with"
          + " endOfSegment");
    }
    return steps;
  }

  /** Whether a segment's rows are kept until it closes (bidirectional, or one output each). */
  boolean buffersSegments(RnnModel model) {
    return model.spec().bidirectional() || config.segmentOutputs();
  }

  /** Token id of step t of a validated ids / tokens event. */
  int id(RnnEvent e, int t, RnnModel model) {
    return inputs.id(e, t, model);
  }

  /** Steps the event's {@code steps} rows now, emitting per-step outputs. */
  void stepNow(RnnEvent e, RnnModel model, SequenceState st, int steps, Outputs out) {
    boolean buffered = buffersSegments(model);
    boolean ids = model.spec().readsTokenIds();
    Workspace[] ws = workspaces(model);
    for (int t = 0; t < steps; t++) {
      openSegment(st);
      int id = ids ? inputs.id(e, t, model) : 0;
      int off = t * st.width;
      float[] y = null;
      if (buffered) {
        if (ids) {
          st.appendOpenId(id);
        } else {
          st.appendOpen(e.x, off);
        }
      } else {
        y = ids ? model.stepToken(st.segment, id, ws[0]) : model.step(st.segment, e.x, off, ws[0]);
        if (st.rolling != null) {
          if (ids) {
            model.stepToken(st.rolling, id, ws[1]);
          } else {
            model.step(st.rolling, e.x, off, ws[1]);
          }
        }
      }
      afterStep(e, model, st, y, ids, id, off, out);
    }
  }

  /** A segment starts at the first step after the last one closed. */
  static void openSegment(SequenceState st) {
    if (!st.segmentOpen) {
      st.clearSegment();
      st.segmentOpen = true;
    }
  }

  /**
   * After one step ({@code y}: its output, null when the row is buffered; {@code id} or the row
   * at {@code off} of {@code e.x}: its input): emit, remember the input, count the step.
   */
  void afterStep(RnnEvent e, RnnModel model, SequenceState st, float[] y, boolean ids, int id,
      int off, Outputs out) {
    if (y != null && config.mode() == Mode.MANY_TO_MANY) {
      out.emit(e, model, st, RnnOutput.Kind.STEP, st.segmentSteps, y);
    }
    if (ids) {
      st.rememberId(id);
    } else {
      st.remember(e.x, off, st.width);
    }
    st.segmentSteps++;
  }

  /** Closes the open segment at event {@code e}: its outputs, then a fresh segment. */
  void closeSegment(RnnEvent e, SequenceState st, RnnModel model, Outputs out) {
    if (buffersSegments(model)) {
      float[][] ys = model.forward(segmentInputs(st, model)); // from zero state, both directions
      if (config.segmentOutputs()) {
        if (ys.length > 0) {
          int o = ys[0].length;
          float[] all = new float[ys.length * o]; // (steps, outputs)
          for (int t = 0; t < ys.length; t++) {
            System.arraycopy(ys[t], 0, all, t * o, o);
          }
          out.emit(e, model, st, RnnOutput.Kind.STEPS, ys.length, all,
              e.tokens != null && e.tokens.length == ys.length ? e.tokens.clone() : null);
        }
      } else if (config.mode() == Mode.MANY_TO_MANY) {
        for (int t = 0; t < ys.length; t++) {
          out.emit(e, model, st, RnnOutput.Kind.STEP, t, ys[t]);
        }
      } else if (ys.length > 0) {
        out.emit(e, model, st, RnnOutput.Kind.SEGMENT, ys.length, ys[ys.length - 1]);
      }
    } else if (config.mode() == Mode.MANY_TO_ONE && st.segmentSteps > 0) {
      Workspace[] ws = workspaces(model);
      out.emit(e, model, st, RnnOutput.Kind.SEGMENT, st.segmentSteps,
          model.currentOutput(st.segment, ws[0]));
      if (st.rolling != null) {
        out.emit(e, model, st, RnnOutput.Kind.ROLLING, st.segmentSteps,
            model.currentOutput(st.rolling, ws[1]));
      }
    }
    st.segments++;
    st.clearSegment();
  }

  /** The open segment's rows as the model's inputs: (openRows, inputSize), ids embedded. */
  private static float[][] segmentInputs(SequenceState st, RnnModel model) {
    if (model.spec().readsTokenIds()) {
      int[] ids = new int[st.openRows];
      for (int t = 0; t < ids.length; t++) {
        ids[t] = (int) st.open[t];
      }
      return model.embed(ids);
    }
    float[][] xs = new float[st.openRows][st.width];
    for (int t = 0; t < xs.length; t++) {
      System.arraycopy(st.open, t * st.width, xs[t], 0, st.width);
    }
    return xs;
  }

  /** Steps {@code state} over one row of {@code rows} (a dense row at off, or a token id). */
  void stepRow(RnnModel model, RnnState state, float[] rows, int off, boolean rolling) {
    Workspace ws = workspaces(model)[rolling ? 1 : 0];
    if (model.spec().readsTokenIds()) {
      model.stepToken(state, (int) rows[off], ws);
    } else {
      model.step(state, rows, off, ws);
    }
  }

  private Workspace[] workspaces(RnnModel model) {
    return workspaces.computeIfAbsent(model,
        m -> new Workspace[] {m.newWorkspace(), m.newWorkspace()});
  }

  /** Drops the workspaces of models no longer served. */
  void retain(Predicate<RnnModel> served) {
    workspaces.keySet().removeIf(m -> !served.test(m));
  }
}
