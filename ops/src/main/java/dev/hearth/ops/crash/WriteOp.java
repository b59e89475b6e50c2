package dev.hearth.ops.crash;

import java.util.List;

/**
 * One call to {@code Store.write} by one writer: its changes, made in one transaction. An
 * {@code abort} op makes its changes and then throws, so the store must keep none of them.
 */
record WriteOp(Tag tag, List<Change> changes, boolean abort) {

  WriteOp {
    changes = List.copyOf(changes);
    if (changes.size() != tag.events()) {
      throw new IllegalArgumentException(tag + " declares " + tag.events() + " events, has " + changes.size());
    }
  }

  int writer() {
    return tag.writer();
  }

  int run() {
    return tag.run();
  }

  int op() {
    return tag.op();
  }
}
