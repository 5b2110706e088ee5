package org.decency.checks.archive;

import java.time.Duration;
import org.decency.checks.support.MessageSizeLimit;
import org.decency.config.ConfigNode;
import org.decency.core.CheckEnvironment;

/**
 * The settings of an Archive module. Example with the defaults:
 *
 * <pre>{@code
 * - Archive:
 *     archive_dir: ../var/spool/archive/%ymd%/   # required; variables see PathTemplate; relative to this file's folder
 *     archive_spam: 0      # 1: also keep mails the run judged spam (or virus, refused, held, dropped)
 *     drop: 0              # 1: archive, then drop the mail (250, not delivered): an archive-only server
 *     retention: 0         # e.g. 90d: delete archived mails older than this, checked hourly (0: keep for ever)
 *     fsync: 0             # 1: force each copy to disk before it is renamed into place
 *     max_size: 0          # mails larger than this are not archived (0: no limit)
 * }</pre>
 *
 * <p>The seeds' {@code use_index_db} and {@code enable_full_text_index} are accepted
 * with a warning: there is no index yet; the files are the archive.
 */
record ArchiveConfig(PathTemplate archiveDir, boolean archiveSpam, boolean drop, Duration retention, boolean fsync,
                     MessageSizeLimit maxSize) {

    static ArchiveConfig from(ConfigNode n, CheckEnvironment env) {
        PathTemplate dir = PathTemplate.read(n.required("archive_dir"));
        for (String index : new String[] {"use_index_db", "enable_full_text_index"}) {
            n.child(index).filter(ConfigNode::asBool).ifPresent(i -> env.warn(i,
                    "the archive has no index database yet (the files are the archive); ignored"));
        }
        Duration retention = n.duration("retention", Duration.ZERO);
        return new ArchiveConfig(dir, n.bool("archive_spam", false), n.bool("drop", false), retention,
                n.bool("fsync", false), MessageSizeLimit.read(n));
    }

    boolean keepsForever() {
        return retention.isZero();
    }
}
