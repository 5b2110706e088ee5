package org.decency.it;

/** Stops the parts of a test's mail system. */
final class Stopping {
    private Stopping() {}

    /**
     * Closes each part in order (null: never started), the later ones even when an earlier one
     * failed; the first failure is thrown at the end with the others added to it.
     */
    static void inOrder(AutoCloseable... parts) {
        Throwable first = null;
        for (AutoCloseable p : parts) {
            if (p == null) continue;
            try {
                p.close();
            } catch (Throwable t) {
                if (first == null) first = t;
                else first.addSuppressed(t);
            }
        }
        if (first instanceof RuntimeException r) throw r;
        if (first instanceof Error e) throw e;
        if (first != null) throw new IllegalStateException(first);
    }
}
