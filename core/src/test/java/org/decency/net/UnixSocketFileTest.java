package org.decency.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixSocketFileTest {
    @TempDir
    Path dir;

    @Test
    void modesAreReadAsChmodWritesThem() {
        assertThat(UnixSocketFile.mode("0660")).isEqualTo(PosixFilePermissions.fromString("rw-rw----"));
        assertThat(UnixSocketFile.mode("666")).isEqualTo(PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThat(UnixSocketFile.mode(" 0751 ")).isEqualTo(PosixFilePermissions.fromString("rwxr-x--x"));
        assertThat(UnixSocketFile.mode("0000")).isEmpty();
        for (String bad : new String[] {"0668", "66", "rw-rw-rw-", "10666", ""}) {
            assertThatThrownBy(() -> UnixSocketFile.mode(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expected an octal mode");
        }
    }

    @Test
    void listensWithItsModeInADirectoryItCreatesAndTheFileGoesWithIt() throws Exception {
        Path sock = dir.resolve("a/b/s.sock");
        try (UnixSocketFile.Bound bound = UnixSocketFile.listen(sock, UnixSocketFile.mode("0620"), 10)) {
            assertThat(Files.getPosixFilePermissions(sock)).isEqualTo(PosixFilePermissions.fromString("rw--w----"));
            try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock)); SocketChannel s = bound.channel().accept()) {
                c.write(ByteBuffer.wrap(new byte[] {42}));
                ByteBuffer b = ByteBuffer.allocate(1);
                s.read(b);
                assertThat(b.get(0)).isEqualTo((byte) 42);
            }
        }
        assertThat(sock).doesNotExist();
        try (UnixSocketFile.Bound bound = UnixSocketFile.listen(sock, UnixSocketFile.mode("0000"), 10)) {
            assertThat(Files.getPosixFilePermissions(sock)).as("no permission at all is a mode too").isEmpty();
        }
    }

    @Test
    void aStaleSocketIsTakenOverALiveOneAndAnythingElseRefused() throws Exception {
        Path sock = dir.resolve("s.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(sock));
        }
        try (UnixSocketFile.Bound live = UnixSocketFile.listen(sock, UnixSocketFile.mode("0666"), 10)) {
            assertThatThrownBy(() -> UnixSocketFile.listen(sock, UnixSocketFile.mode("0666"), 10))
                    .hasMessage("another server listens on " + sock + " already");
            assertThat(sock).exists();
        }
        Files.writeString(sock, "data");
        assertThatThrownBy(() -> UnixSocketFile.listen(sock, UnixSocketFile.mode("0666"), 10))
                .hasMessageContaining("exists and is not a socket");
        assertThat(sock).hasContent("data");
    }

    @Test
    void aServerClosingLateLeavesTheFileOfTheOneThatTookThePathOver() throws Exception {
        Path sock = dir.resolve("s.sock");
        UnixSocketFile.Bound old = UnixSocketFile.listen(sock, UnixSocketFile.mode("0666"), 10);
        old.channel().close(); // stopping: no longer answers, the file not yet removed
        try (UnixSocketFile.Bound fresh = UnixSocketFile.listen(sock, UnixSocketFile.mode("0666"), 10)) {
            old.close();
            assertThat(sock).as("the new server's file").exists();
            try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
                assertThat(c.isConnected()).isTrue();
            }
        }
        assertThat(sock).doesNotExist();
    }

    @Test
    void aPathTooLongForTheSystemIsNamed() {
        Path sock = dir.resolve("x".repeat(120));
        assertThatThrownBy(() -> UnixSocketFile.check(sock)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a unix-domain socket's path has at most 107");
    }
}
