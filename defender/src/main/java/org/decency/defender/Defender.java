package org.decency.defender;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Semaphore;
import org.decency.core.Stage;
import org.decency.defender.milter.MilterServer;
import java.util.List;
import org.decency.detective.Detective;
import org.decency.detective.MailHandler;
import org.decency.detective.SpamPolicy;
import org.decency.detective.reinject.Reinjector;
import org.decency.detective.smtp.EnvelopeGate;
import org.decency.detective.smtp.MailSink;
import org.decency.detective.smtp.SmtpReply;
import org.decency.detective.smtp.SmtpServer;
import org.decency.detective.smtp.SmtpServerSettings;
import org.decency.detective.spool.Spool;
import org.decency.detective.spool.SpoolEntry;
import org.decency.pipeline.Pipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Defender: the Doorman's envelope checks and the Detective's content checks in one
 * SMTP session, before the mail is queued.
 *
 * <ul>
 *   <li>In milter mode Postfix asks it through {@code smtpd_milters}; each milter
 *       connection gets a {@link DefenderHandler}. Mails being checked are written below
 *       {@code <spool_dir>/defender/} and removed when done; what a crash left there is
 *       removed at start-up (Postfix never queued those mails, the client sends them
 *       again).</li>
 *   <li>In prequeue mode it is the before-queue SMTP proxy of {@code smtpd_proxy_filter}:
 *       the Detective's SMTP server with the Doorman's checks as its envelope gate
 *       ({@link ProxyGate}) and the Detective's mail handler behind it, which checks the
 *       mail after the Doorman's score, decides, and passes accepted mail on to
 *       {@code reinject}, answering Postfix's smtpd (and so its client) 250 only after the
 *       next hop's 250. Its spool is {@code <spool_dir>/defender/} with the Detective's
 *       folders; what a crash left in processing/ goes to failed/ at start-up.</li>
 * </ul>
 */
public final class Defender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Defender.class);
    /** Recipients of one mail at most in prequeue mode: Postfix's smtpd_recipient_limit default. */
    static final int MAX_RECIPIENTS = 1000;
    /** The longest line the proxy takes (Postfix passes a long line on whole). */
    static final int MAX_LINE = 65536;

    private final DefenderSettings settings;
    private final Pipeline doorman;
    private final Pipeline detective;
    private final Path dir;
    private final Semaphore checking;
    private final boolean spools;
    private final MilterServer server;
    private Spool proxySpool;
    private Reinjector reinjector;
    private SmtpServer proxy;

    /**
     * @param doorman   the envelope checks (asked at {@code doorman.stages})
     * @param detective the content checks; it decides at the spam threshold as the Detective does
     */
    public Defender(DefenderSettings settings, Pipeline doorman, Pipeline detective) {
        this.settings = settings;
        this.doorman = doorman;
        SpamPolicy spam = settings.spam();
        // as the Detective: the run stops early at the spam threshold; strict and ignore decide on the total alone
        this.detective = detective.withThreshold(spam.behavior() == SpamPolicy.Behavior.SCORING ? spam.threshold() : Double.NEGATIVE_INFINITY);
        this.dir = settings.spoolDir().resolve("defender");
        this.checking = new Semaphore(settings.instances());
        this.spools = detective.modules().stream().anyMatch(m -> m.check().stages().contains(Stage.MESSAGE));
        var limits = settings.limits();
        this.server = settings.mode() != DefenderSettings.Mode.MILTER ? null
                : new MilterServer(new MilterServer.Settings(settings.host(), settings.port(), settings.socket(), settings.socketMode(),
                        settings.maxConnections(),
                        limits.maxPacket(), limits.idleTimeout()), () -> new DefenderHandler(this));
    }

    /** The pipeline of a section that is not there: no checks, nothing refused. */
    public static Pipeline noChecks() {
        return new Pipeline(java.util.List.of(), org.decency.pipeline.PipelineSettings.defaults(),
                org.decency.pipeline.Exclusions.none(), org.decency.pipeline.CustomScoring.none(), null, null);
    }

    public Defender start() throws IOException {
        if (settings.mode() == DefenderSettings.Mode.PREQUEUE) return startProxy();
        prepareSpool();
        server.start();
        log.info("defender: Doorman checks at {} ({} modules), content checks at the end of data ({} modules), {} at once;"
                + " mails being checked in {}", settings.doormanStages(), doorman.modules().size(), detective.modules().size(),
                settings.instances(), spools ? dir : "(none: no content check reads the mail)");
        return this;
    }

    /** The before-queue proxy: the Detective's SMTP server, the Doorman at its envelope gate, the Detective's handling behind. */
    private Defender startProxy() throws IOException {
        proxySpool = new Spool(dir);
        Detective.reportLeftovers(proxySpool);
        reinjector = new Reinjector(settings.reinject());
        MailHandler handler = new MailHandler(DoormanStage.SERVER, detective, proxySpool, reinjector, settings.spam(), settings.virus(),
                settings.notificationFrom(), MailHandler.ScoreImport.NONE, settings.mimeLimits(), settings.bounceOnReinjectFailure(),
                false);
        MailSink checked = new MailSink() {
            @Override
            public List<SmtpReply> deliver(SpoolEntry entry) {
                return deliver(entry, EnvelopeGate.Screening.NONE);
            }

            @Override
            public List<SmtpReply> deliver(SpoolEntry entry, EnvelopeGate.Screening screening) {
                // server.instances: mails checked (and passed on) at once; the others wait their turn
                checking.acquireUninterruptibly();
                try {
                    return handler.deliver(entry, screening);
                } finally {
                    checking.release();
                }
            }
        };
        var limits = settings.limits();
        proxy = new SmtpServer(DoormanStage.SERVER, new SmtpServerSettings(settings.host(), settings.port(), false, "decency", settings.maxConnections(),
                limits.maxMessageSize(), MAX_RECIPIENTS, MAX_LINE, limits.idleTimeout()), proxySpool, checked, new ProxyGate(this));
        try {
            proxy.start();
        } catch (IOException | RuntimeException e) {
            reinjector.close();
            throw e;
        }
        log.info("defender: before-queue proxy (smtpd_proxy_filter) on {}:{}; Doorman checks at {} ({} modules), content checks"
                + " at the end of data ({} modules), {} at once; accepted mail goes on to {}; spool {}", settings.host(), proxy.port(),
                settings.doormanStages(), doorman.modules().size(), detective.modules().size(), settings.instances(),
                reinjector.targets().stream().map(t -> t.address() + (t.copy() ? " (copy)" : "")).toList(), dir);
        return this;
    }

    /** The TCP port listened on; -1 when the milter listens on a unix-domain socket. */
    public int port() {
        return proxy != null ? proxy.port() : server.port();
    }

    /** Milter connections (prequeue: proxy sessions) being served now. */
    public int connections() {
        return proxy != null ? proxy.sessions() : server.connections();
    }

    /** The proxy's spool (prequeue mode, once started; else null): quarantine/ and failed/ are there. */
    public Spool spool() {
        return proxySpool;
    }

    DefenderSettings settings() {
        return settings;
    }

    Pipeline doorman() {
        return doorman;
    }

    Pipeline detective() {
        return detective;
    }

    Path dir() {
        return dir;
    }

    Semaphore checking() {
        return checking;
    }

    /** True when some content check reads the mail: only then is it written down. */
    boolean spools() {
        return spools;
    }

    private void prepareSpool() throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
        int left = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.eml")) {
            for (Path p : s) {
                Files.deleteIfExists(p);
                left++;
            }
        }
        if (left > 0) log.warn("defender: removed {} mail(s) a crash left in {} (never queued: their clients send them again)", left, dir);
    }

    @Override
    public void close() {
        if (server != null) server.close();
        if (proxy != null) proxy.close();
        if (reinjector != null) reinjector.close();
    }
}
