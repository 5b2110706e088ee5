package org.decency.detective;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.decency.config.ConfigNode;
import org.decency.detective.reinject.ReinjectTarget;
import org.decency.detective.smtp.SmtpServerSettings;
import org.decency.mail.MimeLimits;

/**
 * The Detective's own settings in detective.yml (the pipeline, store, DNS and logging
 * are read as for the Doorman). Example with the defaults:
 *
 * <pre>{@code
 * server:
 *   host: 127.0.0.1
 *   port: 16000
 *   instances: 16            # SMTP sessions at once (Postfix's transport maxproc should not exceed it)
 *   protocol: smtp           # or lmtp
 *   hostname: decency        # in the greeting
 *   max_size: 50m            # bytes; also k and g
 *   max_recipients: 1000
 *   timeout: 5m              # a silent client is disconnected
 * spool_dir: ../var/spool    # required; see Spool for its folders
 * reinject: {host: 127.0.0.1, port: 10250}     # or a list, see ReinjectTarget
 * bounce_on_reinject_failure: 0   # 1: when no target takes a mail, bounce it instead of deferring
 * notification_from: "Postmaster <postmaster@localhost>"
 * mime: {max_parts: 5000, max_depth: 30, max_bytes: 100m}
 * spam: {...}                # see SpamPolicy
 * virus: {...}               # see VirusPolicy
 * }</pre>
 */
public record DetectiveSettings(SmtpServerSettings server, Path spoolDir, List<ReinjectTarget> reinject,
                                boolean bounceOnReinjectFailure, String notificationFrom, MimeLimits mimeLimits,
                                SpamPolicy spam, VirusPolicy virus) {

    public static final int DEFAULT_PORT = 16000;

    public static DetectiveSettings read(ConfigNode root) {
        ConfigNode s = root.child("server").orElse(ConfigNode.empty(root.file(), "server"));
        String protocol = s.string("protocol", "smtp").strip().toLowerCase(java.util.Locale.ROOT);
        if (!protocol.equals("smtp") && !protocol.equals("lmtp")) throw s.required("protocol").error("expected smtp or lmtp");
        int port = s.integer("port", DEFAULT_PORT);
        if (port < 0 || port > 65535) throw s.required("port").error("expected a port between 0 and 65535 (0 = any free port)");
        int instances = s.integer("instances", 16);
        if (instances < 1 || instances > 10_000) throw s.required("instances").error("expected 1 to 10000 sessions");
        SmtpServerSettings server = new SmtpServerSettings(s.string("host", "127.0.0.1"), port, protocol.equals("lmtp"),
                s.string("hostname", "decency"), instances, bytes(s, "max_size", 50L << 20), s.integer("max_recipients", 1000),
                s.integer("max_line_length", 65536), s.duration("timeout", Duration.ofMinutes(5)));
        s.string("socket", "");
        s.finish();
        ConfigNode spool = root.required("spool_dir");
        Path spoolDir = spool.dir().resolve(spool.text());
        List<ReinjectTarget> reinject = ReinjectTarget.readAll(root.required("reinject"));
        MimeLimits limits = MimeLimits.defaults();
        ConfigNode mime = root.child("mime").orElse(null);
        if (mime != null) {
            limits = new MimeLimits(mime.integer("max_parts", limits.maxParts()), mime.integer("max_depth", limits.maxDepth()),
                    bytes(mime, "max_bytes", limits.maxBytes()), limits.headBytes());
            mime.finish();
        }
        for (String seedsDir : List.of("temp_dir", "queue_dir", "mime_output_dir", "reinject_failure_dir", "quarantine_dir")) {
            root.has(seedsDir); // the seeds' sub-folder overrides: our spool has fixed folders below spool_dir
        }
        return new DetectiveSettings(server, spoolDir, reinject, root.bool("bounce_on_reinject_failure", false),
                root.string("notification_from", "Postmaster <postmaster@localhost>"), limits,
                SpamPolicy.read(root), VirusPolicy.read(root));
    }

    /** {@code 1048576}, {@code 512k}, {@code 50m}, {@code 1g}. */
    public static long bytes(ConfigNode n, String key, long def) {
        return n.child(key).map(v -> {
            String t = v.text().strip().toLowerCase(java.util.Locale.ROOT);
            long factor = 1;
            if (t.endsWith("k")) factor = 1L << 10;
            else if (t.endsWith("m")) factor = 1L << 20;
            else if (t.endsWith("g")) factor = 1L << 30;
            if (factor > 1) t = t.substring(0, t.length() - 1);
            try {
                long b = Long.parseLong(t.strip()) * factor;
                if (b <= 0) throw new NumberFormatException();
                return b;
            } catch (NumberFormatException e) {
                throw v.error("expected a size like 1048576, 512k, 50m or 1g");
            }
        }).orElse(def);
    }
}
