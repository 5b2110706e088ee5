package org.decency.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.decency.forward.EnvelopeBinding;
import org.decency.forward.InstanceHeader;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** decency keygen: the files, their modes, and that both servers load them. */
class KeygenCommandTest {
    @TempDir Path dir;


    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    /** Loads doorman.yml and detective.yml naming the key pair in {@code keys}, as both servers do at start. */
    private void bothServersLoad(Path keys) throws Exception {
        Files.writeString(dir.resolve("doorman.yml"), "forward_scoring: 1\nforward_sign_key: " + keys.resolve("decency-sign.key")
                + "\ndatabase: {path: d.db}\nmodules: []\n");
        Files.writeString(dir.resolve("detective.yml"), "accept_scoring: 1\ndoorman_verify_key: " + keys.resolve("decency-sign.pub")
                + "\nspool_dir: spool\nreinject: {host: 127.0.0.1, port: 10250}\ndatabase: {path: c.db}\nmodules: []\n");
        Clock clock = Clock.systemUTC();
        var doorman = DoormanRunner.assemble(dir.resolve("doorman.yml"), clock, sc -> new InMemoryStore(clock), null);
        var detective = DetectiveRunner.assemble(dir.resolve("detective.yml"), clock, sc -> new InMemoryStore(clock), null);
        assertThat(doorman.forwarder().signs()).isTrue();
        assertThat(doorman.warnings()).isEmpty();
        assertThat(detective.warnings()).isEmpty();
        assertThat(detective.doormanScores().toString()).contains("and signed headers");
        doorman.store().close();
        detective.store().close();
        var signer = org.decency.forward.ScoreSigner.load(keys.resolve("decency-sign.key"));
        var verifier = org.decency.forward.ScoreVerifier.load(keys.resolve("decency-sign.pub"));
        EnvelopeBinding mail = EnvelopeBinding.of("192.0.2.1", "a@example.net", "b@example.org");
        InstanceHeader h = signer.sign(InstanceHeader.of("id1", -5, 1, java.util.Set.of(), java.util.List.of()), mail);
        assertThat(verifier.verifies(h, mail)).as("the two files are one pair").isTrue();
    }

    @Test
    void ed25519IsTheDefaultAndBothFilesLoad() throws Exception {
        Path keys = dir.resolve("keys");
        CliRun r = run("keygen", "--out", keys.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Wrote Ed25519 key pair").contains("forward_scoring: 1")
                .contains("forward_sign_key: " + keys.resolve("decency-sign.key").toAbsolutePath())
                .contains("accept_scoring: 1").contains("doorman_verify_key: " + keys.resolve("decency-sign.pub").toAbsolutePath());
        assertThat(Files.readString(keys.resolve("decency-sign.key"))).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(Files.readString(keys.resolve("decency-sign.pub"))).startsWith("-----BEGIN PUBLIC KEY-----\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("decency-sign.key")))).isEqualTo("rw-------");
        assertThat(keys.resolve("decency-sign.key.tmp")).doesNotExist();
        bothServersLoad(keys);
    }

    @Test
    void rsaKeysOfTheAskedSizeLoad() throws Exception {
        Path keys = dir.resolve("rsa");
        CliRun r = run("keygen", "--type", "rsa", "--bits", "2048", "--out", keys.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Wrote RSA-2048 key pair");
        bothServersLoad(keys);
    }

    @Test
    void weakSizesUnknownTypesAndExistingKeysAreRefused() throws Exception {
        Path keys = dir.resolve("keys");
        assertThat(run("keygen", "--type", "rsa", "--bits", "1024", "--out", keys.toString()).err()).contains("--bits must be 2048 to 4096, got 1024");
        assertThat(run("keygen", "--type", "dsa", "--out", keys.toString()).exit()).isEqualTo(2);
        assertThat(run("keygen", "--bits", "3072", "--out", keys.toString()).err()).contains("--bits is for RSA keys");
        assertThat(keys).doesNotExist();
        assertThat(run("keygen", "--out", keys.toString()).exit()).isZero();
        String before = Files.readString(keys.resolve("decency-sign.key"));
        CliRun again = run("keygen", "--out", keys.toString());
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("decency-sign.key exists; pass --force");
        assertThat(Files.readString(keys.resolve("decency-sign.key"))).isEqualTo(before);
        assertThat(run("keygen", "--force", "--out", keys.toString()).exit()).isZero();
        assertThat(Files.readString(keys.resolve("decency-sign.key"))).isNotEqualTo(before);
    }
}
