package dev.sluice.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * A straight port of the reference design's sliding buffer, for B2: it keeps the retained items
 * in a list and copies that list on every pop.
 */
final class ReferenceCopyOnPopBuffer {
  private final int window;
  private final int stride;
  private List<Integer> items = new ArrayList<>();
  private boolean first = true;

  ReferenceCopyOnPopBuffer(int window, int stride) {
    this.window = window;
    this.stride = stride;
  }

  void append(int item) {
    items.add(item);
  }

  /** The next window, or null when too few items are retained. */
  List<Integer> pop() {
    if (items.size() < window) return null;
    List<Integer> chunk = new ArrayList<>(items.subList(0, window));
    items = new ArrayList<>(items.subList(stride, items.size()));
    first = false;
    return chunk;
  }

  /** The remainder at the end: what is left after the last full window, with its context. */
  List<Integer> flush() {
    if (first) return items.isEmpty() ? null : items;
    return items.size() > window - stride ? items : null;
  }
}
