package io.rnnstream.benchmarks.flink;

import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.Initializers;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.model.RnnState;
import io.rnnstream.models.model.Workspace;
import io.rnnstream.operators.inference.KeyState;
import io.rnnstream.operators.inference.KeyStateSerializer;
import io.rnnstream.operators.inference.SequenceState;
import io.rnnstream.operators.inference.SequenceStateSerializer;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.runtime.kryo.KryoSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Bytes per key of an LSTM (H=128, 2 layers) state: raw float payload, our SequenceState
 * serializer, the whole per-key KeyState the operator stores, Flink's own float[][] serializer and a Kryo float[][] (what a generic state type
 * falls back to). Run: {@code java -cp benchmarks/target/benchmarks.jar
 * io.rnnstream.benchmarks.flink.StateSizeReport}.
 */
public final class StateSizeReport {
  private StateSizeReport() {}

  public static void main(String[] args) throws Exception {
    int h = 128;
    int layers = 2;
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, 64, h).numLayers(layers).build();
    RnnModel model = RnnModel.create(spec, Initializers.uniform(spec, 1, 1.0),
        ModelInfo.named("m", 1), "bench");
    RnnState state = model.newState();
    Workspace ws = model.newWorkspace();
    model.step(state, new float[64], 0, ws);
    int raw = state.values().length * Float.BYTES;

    SequenceState seq = new SequenceState();
    seq.version = 1;
    seq.width = 64;
    seq.segment = state;
    seq.segmentOpen = true;
    seq.segmentSteps = 1;
    int ours = size(SequenceStateSerializer.INSTANCE, seq);
    KeyState key = new KeyState(); // what the operator stores per key: bookkeeping + the above
    key.lastSeq = 1;
    key.add("sentiment", seq);
    int keyBytes = size(KeyStateSerializer.INSTANCE, key);

    float[][] arrays = new float[2 * layers][h]; // h and c per layer
    ExecutionConfig config = new ExecutionConfig();
    TypeSerializer<float[][]> flink = TypeInformation.of(float[][].class)
        .createSerializer(config.getSerializerConfig());
    int flinkBytes = size(flink, arrays);
    KryoSerializer<float[][]> kryo =
        new KryoSerializer<>(float[][].class, config.getSerializerConfig());
    int kryoBytes = size(kryo, arrays);

    System.out.printf("LSTM H=%d, %d layers: %d floats of recurrent state%n",
        h, layers, state.values().length);
    System.out.printf("| representation | bytes per key | vs raw | serialize + deserialize,"
        + " us per key |%n|---|---|---|---|%n");
    row("raw float payload (h, c per layer)", raw, raw, Double.NaN);
    row("rnnstream SequenceState (SequenceStateSerializer)", ours, raw,
        roundTripMicros(SequenceStateSerializer.INSTANCE, seq));
    row("rnnstream KeyState, one model named \"sentiment\" (KeyStateSerializer)", keyBytes, raw,
        roundTripMicros(KeyStateSerializer.INSTANCE, key));
    row("Flink float[][] (" + flink.getClass().getSimpleName() + ")", flinkBytes, raw,
        roundTripMicros(flink, arrays));
    row("Kryo float[][] (KryoSerializer)", kryoBytes, raw, roundTripMicros(kryo, arrays));
  }

  private static void row(String what, int bytes, int raw, double micros) {
    System.out.printf("| %s | %d | %+.1f%% | %s |%n", what, bytes, 100.0 * (bytes - raw) / raw,
        Double.isNaN(micros) ? "-" : String.format("%.2f", micros));
  }

  /** Median of 5 rounds of 20 000 serialize + deserialize round trips (after warm-up). */
  private static <T> double roundTripMicros(TypeSerializer<T> s, T value) throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(4096);
    org.apache.flink.core.memory.DataInputDeserializer in =
        new org.apache.flink.core.memory.DataInputDeserializer();
    double[] rounds = new double[5];
    Object sink = null;
    for (int warm = 0; warm < 3; warm++) {
      for (int r = 0; r < rounds.length; r++) {
        long t0 = System.nanoTime();
        for (int i = 0; i < 20_000; i++) {
          out.clear();
          s.serialize(value, out);
          in.setBuffer(out.getSharedBuffer(), 0, out.length());
          sink = s.deserialize(in);
        }
        rounds[r] = (System.nanoTime() - t0) / 20_000 / 1000.0;
      }
    }
    if (sink == null) {
      throw new IllegalStateException();
    }
    java.util.Arrays.sort(rounds);
    return rounds[rounds.length / 2];
  }

  private static <T> int size(TypeSerializer<T> s, T value) throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(4096);
    s.serialize(value, out);
    return out.length();
  }
}
