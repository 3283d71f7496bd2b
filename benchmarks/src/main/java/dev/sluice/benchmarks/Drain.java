package dev.sluice.benchmarks;

import dev.sluice.buffer.StreamBuffer;
import dev.sluice.buffer.StreamChunk;
import java.util.List;

/** The consumer loops the benchmarks share, so that Sluice and the reference design are driven alike. */
final class Drain {
  private Drain() {}

  /**
   * Appends {@code values[i]} (or {@code i} when values is null) for i below n to [buffer],
   * popping every ready chunk after every {@code popEvery} appends, then signals done and pops the
   * rest. Returns the total size of the chunks' items, or of their new items only.
   */
  static long streamBuffer(StreamBuffer<Integer> buffer, int n, int[] values, int popEvery, boolean newItemsOnly) {
    long items = 0;
    // A countdown, not i % popEvery: an integer division per item would cost as much as the append.
    int untilPop = popEvery;
    for (int i = 0; i < n; i++) {
      buffer.append(values == null ? i : values[i]);
      if (--untilPop == 0) {
        items += popReady(buffer, newItemsOnly);
        untilPop = popEvery;
      }
    }
    buffer.signalDone();
    return items + popReady(buffer, newItemsOnly);
  }

  private static long popReady(StreamBuffer<Integer> buffer, boolean newItemsOnly) {
    long items = 0;
    while (buffer.hasChunkReady()) {
      StreamChunk<Integer> c = buffer.popChunk();
      items += newItemsOnly ? c.getNewItems().size() : c.getItems().size();
    }
    return items;
  }

  /** The same consumer over the reference design's copy-on-pop buffer. */
  static long reference(ReferenceCopyOnPopBuffer buffer, int n, int popEvery) {
    long items = 0;
    int untilPop = popEvery;
    for (int i = 0; i < n; i++) {
      buffer.append(i);
      if (--untilPop == 0) {
        for (List<Integer> w = buffer.pop(); w != null; w = buffer.pop()) items += w.size();
        untilPop = popEvery;
      }
    }
    for (List<Integer> w = buffer.pop(); w != null; w = buffer.pop()) items += w.size();
    List<Integer> rest = buffer.flush();
    return rest == null ? items : items + rest.size();
  }
}
