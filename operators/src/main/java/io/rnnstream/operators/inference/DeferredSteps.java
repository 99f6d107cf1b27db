package io.rnnstream.operators.inference;

import io.rnnstream.models.model.RnnModel;
import io.rnnstream.operators.api.RnnEvent;
import java.util.function.Predicate;

/**
 * Where the inference function's event path may hand an event's recurrent steps over to be
 * computed later, together with other keys' (micro-batching, {@link MicroBatch}); {@link #NONE}
 * takes nothing, and every event is stepped at once. Everything the function knows about
 * bundles is these four calls.
 */
interface DeferredSteps {
  /** Without micro-batching. */
  DeferredSteps NONE = new DeferredSteps() {
    @Override
    public void settle(String key) {}

    @Override
    public boolean defer(String key, RnnEvent e, String name, KeyState ks, SequenceState st,
        RnnModel model, int steps, Long timestamp) {
      return false;
    }

    @Override
    public boolean writesState(KeyState ks) {
      return false;
    }

    @Override
    public void retain(Predicate<RnnModel> served) {}
  };

  /**
   * Completes the deferred event of {@code key}, if any: called before the key's state is read
   * or stepped again, so that a key's events stay successive steps in order.
   */
  void settle(String key) throws Exception;

  /**
   * Takes the {@code steps} steps of {@code e} on {@code st} (unidirectional, segment open, key
   * settled) to compute later; false when it does not, and the caller steps them now. The
   * completion emits the outputs (with the record {@code timestamp}), finishes the event and
   * writes {@code ks}.
   */
  boolean defer(String key, RnnEvent e, String name, KeyState ks, SequenceState st,
      RnnModel model, int steps, Long timestamp) throws Exception;

  /** Whether an event of {@code ks} is deferred, so that its completion writes {@code ks}. */
  boolean writesState(KeyState ks);

  /** Drops what is cached for models no longer served. */
  void retain(Predicate<RnnModel> served);
}
