package org.decency.checks.dkim;

import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Where a canonical body goes: a digest of at most {@code limit} bytes (a signature's l=;
 * -1 for all), counting every byte offered, so a verifier can tell a body shorter than l=.
 */
public final class DigestSink extends OutputStream {
    private final MessageDigest digest;
    private final long limit;
    private long offered;
    private long hashed;

    public DigestSink(String algorithm, long limit) {
        try {
            this.digest = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no " + algorithm, e);
        }
        this.limit = limit;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        offered += len;
        long room = limit < 0 ? len : Math.min(len, limit - hashed);
        if (room > 0) {
            digest.update(b, off, (int) room);
            hashed += room;
        }
    }

    /** Bytes of canonical body offered, also those past the limit. */
    public long offered() {
        return offered;
    }

    public byte[] hash() {
        return digest.digest();
    }
}
