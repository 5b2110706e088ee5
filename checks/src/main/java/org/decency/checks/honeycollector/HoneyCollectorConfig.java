package org.decency.checks.honeycollector;

import org.decency.checks.archive.PathTemplate;
import org.decency.checks.honeypot.TrapAddresses;
import org.decency.checks.support.MessageSizeLimit;
import org.decency.config.ConfigException;
import org.decency.config.ConfigNode;

/**
 * The settings of a HoneyCollector module. Example with the defaults:
 *
 * <pre>{@code
 * - HoneyCollector:
 *     collect_dir: ../var/spool/honey/%ymd%/   # required (the seeds' archive_dir); variables as Archive's
 *     train: 0            # 1: also a copy in <collect_dir>/spam/ for the learning filters
 *     drop: 1             # 0: collect, then let the mail go on
 *     addresses: [trap@example.org]            # trap recipients, as the Doorman's Honeypot (optional:
 *     domains: [honey.example.org]             #   the Doorman's "honey" flag is enough)
 *     fsync: 0
 *     max_size: 0
 * }</pre>
 */
record HoneyCollectorConfig(PathTemplate collectDir, boolean train, boolean drop, TrapAddresses traps, boolean fsync,
                            MessageSizeLimit maxSize) {

    static final String TRAIN_FOLDER = "spam";

    static HoneyCollectorConfig from(ConfigNode n) {
        ConfigNode dir = n.child("collect_dir", "archive_dir").orElse(null);
        if (dir == null) {
            throw ConfigException.at(n.file(), n.line(), n.path().isEmpty() ? "collect_dir" : n.path() + ".collect_dir",
                    "is required: the folder for the collected mails (the seeds' archive_dir)");
        }
        PathTemplate collect = PathTemplate.read(dir);
        return new HoneyCollectorConfig(collect, n.bool("train", false), n.bool("drop", true), TrapAddresses.read(n),
                n.bool("fsync", false), MessageSizeLimit.read(n));
    }
}
