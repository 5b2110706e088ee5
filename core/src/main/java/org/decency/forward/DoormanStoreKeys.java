package org.decency.forward;

import java.time.Duration;

/**
 * Where a Doorman leaves its findings in the store for a Detective sharing it (the
 * seeds' cache key {@code DOORMAN-<id>}): the instance header's value under its id and,
 * when Postfix named the queue file, under the queue id too.
 */
public final class DoormanStoreKeys {
    /** How long the findings wait for the Detective (the seeds' time()+600). */
    public static final Duration TTL = Duration.ofMinutes(10);

    private DoormanStoreKeys() {}

    public static String byId(String id) {
        return "doorman:score:" + id;
    }

    public static String byQueueId(String queueId) {
        return "doorman:queue:" + queueId;
    }
}
