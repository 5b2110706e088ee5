package org.decency.core;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Periodic upkeep that a server runs in the background (deleting old archive files,
 * expired store entries, old statistics): see {@code org.decency.maintenance.Maintenance}.
 * Instances sharing a store take turns through a lease named after the task, so name it
 * after the data it cleans: two instances that see the same data must give the same
 * name, two that see different data (a folder on each machine) different names.
 */
public interface MaintenanceTask {

    /** Names the task and its lease, e.g. {@code stats:doorman@jdbc:postgresql://db/decency}. */
    String name();

    /** How often it is due: at most once per this, across all instances sharing the lease. */
    Duration every();

    /** Does the work; returns a few words for the log ({@code 12 rows deleted}), empty when there was nothing to do. */
    String run() throws Exception;

    static MaintenanceTask of(String name, Duration every, Callable<String> work) {
        if (every.isNegative() || every.isZero()) throw new IllegalArgumentException("every must be positive: " + every);
        return new MaintenanceTask() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Duration every() {
                return every;
            }

            @Override
            public String run() throws Exception {
                return work.call();
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
