package org.decency.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.UnixDomainSocketAddress;
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
    void listensWithItsModeInADirectoryItCreatesAndIsRemovedAtTheEnd() throws Exception {
        Path sock = dir.resolve("a/b/s.sock");
        try (ServerSocketChannel server = UnixSocketFile.listen(sock, UnixSocketFile.mode("0620"), 10)) {
            assertThat(Files.getPosixFilePermissions(sock)).isEqualTo(PosixFilePermissions.fromString("rw--w----"));
            try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock)); SocketChannel s = server.accept()) {
                c.write(java.nio.ByteBuffer.wrap(new byte[] {42}));
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
                s.read(b);
                assertThat(b.get(0)).isEqualTo((byte) 42);
            }
        }
        assertThat(sock).as("closing the channel leaves the file").exists();
        UnixSocketFile.remove(sock);
        assertThat(sock).doesNotExist();
    }

    @Test
    void aStaleSocketIsTakenOverALiveOneAndAnythingElseRefused() throws Exception {
        Path sock = dir.resolve("s.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(sock));
        }
        try (ServerSocketChannel live = UnixSocketFile.listen(sock, UnixSocketFile.mode("0666"), 10)) {
            assertThatThrownBy(() -> UnixSocketFile.listen(sock, UnixSocketFile.mode("0666"), 10))
                    .hasMessage("another server listens on " + sock + " already");
            assertThat(sock).exists();
        }
        UnixSocketFile.remove(sock);
        Files.writeString(sock, "data");
        assertThatThrownBy(() -> UnixSocketFile.listen(sock, UnixSocketFile.mode("0666"), 10))
                .hasMessageContaining("exists and is not a socket");
        UnixSocketFile.remove(sock);
        assertThat(sock).as("a regular file is never removed as a socket").hasContent("data");
    }

    @Test
    void aPathTooLongForTheSystemIsNamed() {
        Path sock = dir.resolve("x".repeat(120));
        assertThatThrownBy(() -> UnixSocketFile.check(sock)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a unix-domain socket's path has at most 107");
    }
}
