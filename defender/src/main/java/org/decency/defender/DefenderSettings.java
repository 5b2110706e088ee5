package org.decency.defender;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.decency.config.ConfigNode;
import org.decency.core.Stage;
import org.decency.detective.AcceptScoring;
import org.decency.detective.DetectiveSettings;
import org.decency.detective.SpamPolicy;
import org.decency.detective.VirusPolicy;
import org.decency.detective.reinject.ReinjectTarget;
import org.decency.mail.MimeLimits;
import org.decency.net.UnixSocketFile;

/**
 * The Defender's own settings in defender.yml (the seeds' layout). The two pipelines,
 * the store, DNS and logging are read as for the Doorman and the Detective: from the
 * {@code doorman:} and {@code detective:} sections, which share the top-level
 * {@code database:}, {@code cache:}, {@code logging:}, {@code dns:} and {@code stats:}.
 *
 * <pre>{@code
 * mode: milter                       # or prequeue: the before-queue SMTP proxy (smtpd_proxy_filter)
 * server:
 *   host: 127.0.0.1
 *   port: 14000
 *   socket: /var/spool/postfix/decency/defender.sock   # milter mode: a unix-domain socket instead of host and port
 *   socket_mode: "0666"              # the socket file's permissions (Postfix's user must be able to write it)
 *   instances: 16                    # mails whose content is checked at once
 *   max_connections: 1000            # milter connections (prequeue: proxy sessions) at once
 *   limits:
 *     max_packet_size: 1m            # a longer milter packet ends the session (milter only)
 *     max_message_size: 50m          # header and body spooled at most
 *     oversize: reject               # a larger mail: reject (552) or accept (milter only: the content checks skip it)
 *     idle_timeout: 30m              # a milter connection (prequeue: proxy session) silent this long is closed
 * detective_spam_reply: "SPAM detected"    # the 554 text for spam refused at end of data
 * detective_virus_reply: "Virus detected"  # ... and for a virus (both may start with their own code)
 * detective_enforce_reinject: 0      # accepted; no effect (milter: Postfix queues the mail; prequeue: reinject always)
 * doorman:
 *   stages: [rcpt]                   # the envelope stages the Doorman's checks are asked at
 *   modules: [...]
 * detective:
 *   spool_dir: ../var/spool          # mails being checked: <spool_dir>/defender/
 *   reinject: {host: 127.0.0.1, port: 10250}   # required in prequeue mode: where accepted mail goes on
 *   spam: {...}                      # as in detective.yml
 *   virus: {...}
 *   modules: [...]
 * }</pre>
 *
 * The seeds kept the three reply keys in a {@code defender:} section; that is read too.
 */
public record DefenderSettings(Mode mode, String host, int port, Path socket, Set<PosixFilePermission> socketMode, int instances, int maxConnections, Limits limits,
                               String spamReply, String virusReply, boolean enforceReinject, Set<Stage> doormanStages,
                               Path spoolDir, MimeLimits mimeLimits, SpamPolicy spam, VirusPolicy virus,
                               List<ReinjectTarget> reinject, String notificationFrom, boolean bounceOnReinjectFailure) {

    /**
     * How Postfix asks the Defender: as a milter ({@code smtpd_milters}), or as the
     * before-queue SMTP proxy ({@code smtpd_proxy_filter}) that passes accepted mail on
     * to {@code reinject}.
     */
    public enum Mode { MILTER, PREQUEUE }

    public static final int DEFAULT_PORT = 14000;
    /** Anyone may connect: the directory the socket is in is where access is kept (as rspamd's milter socket). */
    public static final String DEFAULT_SOCKET_MODE = "0666";
    public static final String DEFAULT_SPAM_REPLY = "SPAM detected";
    public static final String DEFAULT_VIRUS_REPLY = "Virus detected";
    /** The keys of defender.yml's top level that the doorman: and detective: sections share. */
    public static final List<String> SHARED = List.of("database", "cache", "logging", "dns", "stats", "metrics");
    /** The envelope stages the Doorman may be asked at. */
    static final Set<Stage> ENVELOPE = EnumSet.of(Stage.CONNECT, Stage.HELO, Stage.MAIL, Stage.RCPT);

    public enum Oversize { REJECT, ACCEPT }

    /**
     * @param maxPacket      the largest milter packet (length word) accepted
     * @param maxMessageSize bytes of header and body kept for the content checks
     * @param oversize       what becomes of a larger mail
     * @param idleTimeout    a silent milter connection is closed after this
     */
    /** @param inMemory a mail up to this size is held in memory for the checks, a larger one written to a file */
    public record Limits(int maxPacket, long maxMessageSize, Oversize oversize, Duration idleTimeout, int inMemory) {
        public static Limits defaults() {
            return new Limits(1 << 20, 50L << 20, Oversize.REJECT, Duration.ofMinutes(30), 64 << 10);
        }
    }

    /**
     * Reads the Defender's keys: the top level's, and those of the two sections that are not
     * the pipeline's. Marks what it reads; the caller finishes the nodes after building the pipelines.
     *
     * @param doorman   the doorman: section (null when there is none)
     * @param detective the detective: section (null when there is none)
     * @param warnings  gets what loads but has no effect in the mode it is in
     */
    public static DefenderSettings read(ConfigNode root, ConfigNode doorman, ConfigNode detective, List<String> warnings) {
        String modeName = root.string("mode", "milter").strip().toLowerCase(Locale.ROOT);
        Mode mode = switch (modeName) {
            case "milter" -> Mode.MILTER;
            case "prequeue" -> Mode.PREQUEUE;
            default -> throw root.required("mode").error("expected milter or prequeue, got \"" + modeName + "\"");
        };
        boolean proxy = mode == Mode.PREQUEUE;
        ConfigNode s = root.child("server").orElse(ConfigNode.empty(root.file(), "server"));
        String host = s.string("host", "127.0.0.1");
        int port = s.integer("port", DEFAULT_PORT);
        if (port < 0 || port > 65535) throw s.required("port").error("expected a port between 0 and 65535 (0 = any free port)");
        Path socket = socket(s, proxy);
        Set<PosixFilePermission> socketMode = UnixSocketFile.mode(DEFAULT_SOCKET_MODE);
        ConfigNode modeNode = s.child("socket_mode").orElse(null);
        if (modeNode != null) {
            if (socket == null) throw modeNode.error("socket_mode is for server.socket; there is none");
            try {
                socketMode = UnixSocketFile.mode(modeNode.text());
            } catch (IllegalArgumentException e) {
                throw modeNode.error(e.getMessage());
            }
        }
        int instances = s.integer("instances", 16);
        if (instances < 1 || instances > 10_000) throw s.required("instances").error("expected 1 to 10000 mails checked at once");
        int maxConnections = s.integer("max_connections", 1000);
        if (maxConnections < 1 || maxConnections > 100_000) throw s.required("max_connections").error("expected 1 to 100000");
        Limits limits = s.child("limits").map(DefenderSettings::limits).orElse(Limits.defaults());
        s.finish();

        ConfigNode own = root.child("defender").orElse(null);
        String spamReply = reply(own, root, "detective_spam_reply", DEFAULT_SPAM_REPLY);
        String virusReply = reply(own, root, "detective_virus_reply", DEFAULT_VIRUS_REPLY);
        boolean enforce = own != null && own.has("detective_enforce_reinject") ? own.bool("detective_enforce_reinject", false)
                : root.bool("detective_enforce_reinject", false);
        root.has("detective_enforce_reinject");
        if (own != null) own.finish();
        if (enforce) {
            warnings.add(root.file() + (proxy
                    ? ": detective_enforce_reinject has no effect in prequeue mode: every mail the proxy accepts is passed on"
                            + " through detective.reinject anyway"
                    : ": detective_enforce_reinject has no effect in milter mode: Postfix queues the mail the Defender accepts"));
        }
        if (proxy && limits.oversize() == Oversize.ACCEPT) {
            warnings.add(root.file() + ": server.limits.oversize: accept has no effect in prequeue mode: the proxy passes on"
                    + " only what it received whole, so a mail over max_message_size is refused (552)");
            limits = new Limits(limits.maxPacket(), limits.maxMessageSize(), Oversize.REJECT, limits.idleTimeout(), limits.inMemory());
        }
        root.child("reporting").ifPresent(n -> warnings.add(n.file() + ":" + n.line() + ": reporting is not available yet; ignored"));

        Set<Stage> stages = EnumSet.of(Stage.RCPT);
        if (doorman != null) {
            stages = doorman.child("stages").map(DefenderSettings::stages).orElse(stages);
            for (String k : List.of("forward_scoring", "forward_sign_key")) {
                doorman.child(k).ifPresent(n -> warnings.add(n.file() + ":" + n.line() + ": doorman." + k
                        + " has no effect in the Defender: its Doorman's scores count directly"));
            }
            doorman.has("disable_prepend"); // the X-Decency-Instance header is for a Detective elsewhere: never written here
        }

        Path spoolDir = Path.of(System.getProperty("java.io.tmpdir"), "decency-defender");
        MimeLimits mime = MimeLimits.defaults();
        SpamPolicy spam = SpamPolicy.none();
        VirusPolicy virus = VirusPolicy.none();
        List<ReinjectTarget> reinject = List.of();
        String notificationFrom = "Postmaster <postmaster@localhost>";
        boolean bounceOnReinjectFailure = false;
        if (detective != null) {
            ConfigNode spool = detective.child("spool_dir").orElse(null);
            if (spool != null) spoolDir = spool.dir().resolve(spool.text()).normalize();
            ConfigNode m = detective.child("mime").orElse(null);
            if (m != null) {
                mime = new MimeLimits(m.integer("max_parts", mime.maxParts()), m.integer("max_depth", mime.maxDepth()),
                        DetectiveSettings.bytes(m, "max_bytes", mime.maxBytes()), mime.headBytes());
                m.finish();
            }
            spam = SpamPolicy.read(detective);
            virus = VirusPolicy.read(detective);
            if (!proxy && (spam.recipientNotice().enabled() || virus.recipientNotice().enabled() || virus.senderNotice().enabled())) {
                warnings.add(detective.file() + ":" + detective.line() + ": detective: notifications (notify_recipient,"
                        + " notify_sender) are not sent in milter mode; the SMTP client hears the refusal itself");
            }
            reinject = detective.child("reinject").map(ReinjectTarget::readAll).orElse(List.of());
            notificationFrom = detective.string("notification_from", notificationFrom);
            bounceOnReinjectFailure = detective.bool("bounce_on_reinject_failure", false);
            if (AcceptScoring.read(detective, warnings).enabled()) {
                warnings.add(detective.file() + ": detective.accept_scoring has no effect in the Defender: its Doorman's"
                        + " scores count directly");
            }
            for (String seedsDir : List.of("temp_dir", "queue_dir", "mime_output_dir", "reinject_failure_dir", "quarantine_dir")) {
                detective.has(seedsDir);
            }
        }
        if (proxy && reinject.isEmpty()) {
            ConfigNode where = detective != null ? detective : root;
            throw where.error("mode: prequeue needs detective.reinject: where the proxy passes accepted mail on (a Postfix smtpd"
                    + " without filters, e.g. reinject: {host: 127.0.0.1, port: 10250}; see docs/DEFENDER.md)");
        }
        return new DefenderSettings(mode, host, port, socket, socketMode, instances, maxConnections, limits, spamReply, virusReply, enforce, stages,
                spoolDir, mime, spam, virus, reinject, notificationFrom, bounceOnReinjectFailure);
    }

    /** server.socket: a unix-domain socket for the milter, instead of host and port; null when not given. */
    private static Path socket(ConfigNode server, boolean proxy) {
        ConfigNode n = server.child("socket").orElse(null);
        if (n == null || n.text().isBlank()) return null;
        if (proxy) throw n.error("a unix-domain socket is for milter mode; the before-queue proxy listens on host and port");
        for (String k : List.of("host", "port")) {
            if (server.has(k)) throw n.error("give either socket or host and port, not both (" + k + " is set too)");
        }
        String text = n.text().strip();
        if (text.startsWith("unix:")) text = text.substring(5); // as smtpd_milters writes it
        Path p = n.dir().resolve(text).normalize();
        try {
            UnixSocketFile.check(p);
        } catch (IllegalArgumentException e) {
            throw n.error(e.getMessage());
        }
        return p;
    }

    private static Limits limits(ConfigNode n) {
        Limits d = Limits.defaults();
        long packet = DetectiveSettings.bytes(n, "max_packet_size", d.maxPacket());
        if (packet < 65536 || packet > (64L << 20)) {
            throw n.required("max_packet_size").error("expected 64k to 64m (Postfix sends body chunks of 64k and headers up to"
                    + " its header_size_limit in one packet)");
        }
        long size = DetectiveSettings.bytes(n, "max_message_size", d.maxMessageSize());
        Oversize oversize = d.oversize();
        ConfigNode o = n.child("oversize").orElse(null);
        if (o != null) {
            try {
                oversize = Oversize.valueOf(o.text().strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw o.error("expected reject or accept, got \"" + o.text() + "\"");
            }
        }
        Duration idle = n.duration("idle_timeout", d.idleTimeout());
        if (idle.isZero() || idle.isNegative()) throw n.required("idle_timeout").error("must be more than 0");
        boolean never = n.child("in_memory_size").map(v -> v.text().strip().equals("0")).orElse(false);
        long inMemory = never ? 0 : DetectiveSettings.bytes(n, "in_memory_size", d.inMemory());
        if (inMemory < 0 || inMemory > (16L << 20)) throw n.required("in_memory_size").error("expected 0 to 16m");
        n.finish();
        return new Limits((int) packet, size, oversize, idle, (int) inMemory);
    }

    private static Set<Stage> stages(ConfigNode n) {
        Set<Stage> out = EnumSet.noneOf(Stage.class);
        List<ConfigNode> items = n.isScalar() ? List.of(n) : n.asList();
        for (ConfigNode i : items) {
            Stage st;
            try {
                st = Stage.valueOf(i.text().strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                st = null;
            }
            if (st == null || !ENVELOPE.contains(st)) throw i.error("expected some of connect, helo, mail, rcpt; got \"" + i.text() + "\"");
            out.add(st);
        }
        if (out.isEmpty()) throw n.error("name at least one stage (rcpt: as Postfix asks a policy server)");
        return out;
    }

    private static String reply(ConfigNode own, ConfigNode root, String key, String def) {
        ConfigNode inOwn = own == null ? null : own.child(key).orElse(null);
        ConfigNode atTop = root.child(key).orElse(null);
        if (inOwn != null && atTop != null) throw atTop.error("given twice: here and in defender:; keep one");
        ConfigNode n = inOwn != null ? inOwn : atTop;
        if (n == null) return def;
        String v = n.text().strip();
        if (v.isEmpty()) throw n.error("must not be empty: the SMTP client reads it");
        return v;
    }

}
