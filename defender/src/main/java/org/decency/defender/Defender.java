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
import org.decency.detective.SpamPolicy;
import org.decency.pipeline.Pipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Defender in milter mode: the Doorman's envelope checks and the Detective's content
 * checks in one SMTP session, before the mail is queued. Postfix asks it through
 * {@code smtpd_milters}; each milter connection gets a {@link DefenderHandler}. Mails
 * being checked are written below {@code <spool_dir>/defender/} and removed when done;
 * what a crash left there is removed at start-up (Postfix never queued those mails, the
 * client sends them again).
 */
public final class Defender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Defender.class);

    private final DefenderSettings settings;
    private final Pipeline doorman;
    private final Pipeline detective;
    private final Path dir;
    private final Semaphore checking;
    private final boolean spools;
    private final MilterServer server;

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
        this.server = new MilterServer(new MilterServer.Settings(settings.host(), settings.port(), settings.maxConnections(),
                limits.maxPacket(), limits.idleTimeout()), () -> new DefenderHandler(this));
    }

    /** The pipeline of a section that is not there: no checks, nothing refused. */
    public static Pipeline noChecks() {
        return new Pipeline(java.util.List.of(), org.decency.pipeline.PipelineSettings.defaults(),
                org.decency.pipeline.Exclusions.none(), org.decency.pipeline.CustomScoring.none(), null, null);
    }

    public Defender start() throws IOException {
        prepareSpool();
        server.start();
        log.info("defender: Doorman checks at {} ({} modules), content checks at the end of data ({} modules), {} at once;"
                + " mails being checked in {}", settings.doormanStages(), doorman.modules().size(), detective.modules().size(),
                settings.instances(), spools ? dir : "(none: no content check reads the mail)");
        return this;
    }

    public int port() {
        return server.port();
    }

    /** Milter connections being served now. */
    public int connections() {
        return server.connections();
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
        server.close();
    }
}
