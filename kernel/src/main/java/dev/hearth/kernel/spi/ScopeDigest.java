package dev.hearth.kernel.spi;

/**
 * A digest of one scope's entries ({@link HearthStore#digest}); equal on two nodes when they hold
 * the same entries, whatever their own sequences.
 *
 * @param sha256 lower-case hex SHA-256 over the entries (see {@link HearthStore#digest} for the layout)
 * @param entries how many entries it covers
 * @param afterSeq as in {@link ScopeContent#afterSeq()}: not part of the hash
 */
public record ScopeDigest(String sha256, long entries, long afterSeq) {}
