package org.decency.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * A real clamd on loopback with one signature of our own (signature downloads are not
 * possible here): {@value #SIGNATURE}, which matches the EICAR test string and is
 * reported as {@code Decency.Test.EICAR.UNOFFICIAL}.
 */
public final class Clamd extends LocalDaemon {
    public static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
    public static final String SIGNATURE = "Decency.Test.EICAR";
    /** The name clamd reports for {@link #EICAR}. */
    public static final String FOUND = SIGNATURE + ".UNOFFICIAL";

    private final Path config;

    private Clamd(Path dir, Path config, int port) {
        super("clamd", List.of(executable("clamd"), "-c", config.toString()), dir.resolve("clamd.out"), port,
                Duration.ofSeconds(60), Clamd::pong);
        this.config = config;
    }

    /** Starts clamd in {@code dir} (created if needed) on a free loopback port; {@code extraConfig} lines go into clamd.conf. */
    public static Clamd start(Path dir, String... extraConfig) {
        try {
            Files.createDirectories(dir.resolve("db"));
            dir.toFile().setReadable(true, false);
            dir.toFile().setExecutable(true, false);
            Files.writeString(dir.resolve("db/decency.ndb"),
                    SIGNATURE + ":0:*:" + HexFormat.of().formatHex(EICAR.getBytes(StandardCharsets.US_ASCII)) + "\n");
            int port = freeLoopbackPort();
            Path config = dir.resolve("clamd.conf");
            Files.writeString(config, String.join("\n",
                    "DatabaseDirectory " + dir.resolve("db"),
                    "TCPSocket " + port,
                    "TCPAddr 127.0.0.1",
                    "Foreground yes",
                    "LogFile " + dir.resolve("clamd.log"),
                    "PidFile " + dir.resolve("clamd.pid"),
                    "User root",
                    String.join("\n", extraConfig),
                    ""));
            return new Clamd(dir, config, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare clamd in " + dir, e);
        }
    }

    /** clamd.conf, for clients such as clamdscan ({@code --config-file}). */
    public Path config() {
        return config;
    }

    private static boolean pong(Socket s) {
        try {
            s.getOutputStream().write("nPING\n".getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readNBytes(5), StandardCharsets.US_ASCII).equals("PONG\n");
        } catch (IOException e) {
            return false;
        }
    }
}
