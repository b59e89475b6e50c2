package dev.hearth.kernel.store;

/** A value found by a read: either plaintext from a pending change or a stored entry to decrypt. */
record Resolved(String key, byte[] plain, byte[] stored) {}
