package org.decency.net;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's unix-domain socket in the file system, as Postfix names one
 * ({@code smtpd_milters = unix:/path}): bound with the permissions the MTA's user needs,
 * a stale file of a server that died taken over, a live one left alone, and the file removed
 * when the server closes.
 */
public final class UnixSocketFile {
    private static final Logger log = LoggerFactory.getLogger(UnixSocketFile.class);
    /** sun_path holds 108 bytes on Linux, the terminating NUL included. */
    public static final int MAX_PATH_BYTES = 107;
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private UnixSocketFile() {}

    /**
     * A socket bound to its file: {@link #close} removes the file, if it is still the one
     * bound here (a server started meanwhile may have taken the path over), then closes the
     * channel.
     */
    public record Bound(ServerSocketChannel channel, Path path, Object identity) implements AutoCloseable {
        @Override
        public void close() {
            try {
                if (identity != null && identity.equals(UnixSocketFile.identity(path))) Files.deleteIfExists(path);
            } catch (java.nio.file.NoSuchFileException e) {
                // gone already
            } catch (IOException e) {
                log.warn("cannot remove the socket file {}: {}", path, e.toString());
            }
            try {
                channel.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /**
     * Listens on {@code path}: creates its directory if missing; refuses when another server
     * listens there.
     *
     * @param mode the file's permissions; null: as the process's umask makes them
     */
    public static Bound listen(Path path, Set<PosixFilePermission> mode, int backlog) throws IOException {
        check(path);
        Path absolute = path.toAbsolutePath();
        if (absolute.getParent() != null) Files.createDirectories(absolute.getParent());
        takeOverStale(absolute);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        boolean bound = false;
        try {
            server.bind(UnixDomainSocketAddress.of(absolute), backlog);
            bound = true;
            Object key = identity(absolute);
            if (mode != null && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(absolute, mode);
            }
            return new Bound(server, absolute, key);
        } catch (IOException | RuntimeException e) {
            server.close();
            if (bound) Files.deleteIfExists(absolute);
            throw e;
        }
    }

    /**
     * What tells this socket file from one bound later at the same path: the inode alone does
     * not (a freed inode number is given out again at once), its times with it do.
     */
    private static Object identity(Path path) throws IOException {
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return java.util.Arrays.asList(a.fileKey(), a.lastModifiedTime(), a.creationTime());
    }

    /** Throws IllegalArgumentException when the path cannot name a unix-domain socket. */
    public static void check(Path path) {
        int bytes = path.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_PATH_BYTES) {
            throw new IllegalArgumentException("the socket path " + path.toAbsolutePath() + " is " + bytes
                    + " bytes long; a unix-domain socket's path has at most " + MAX_PATH_BYTES);
        }
    }

    /**
     * Reads permissions as chmod writes them in octal ({@code 0660}, {@code 666}).
     *
     * @throws IllegalArgumentException when it is not three or four octal digits
     */
    public static Set<PosixFilePermission> mode(String octal) {
        String s = octal.strip();
        if (!s.matches("0?[0-7]{3}")) throw new IllegalArgumentException("expected an octal mode such as 0660, got \"" + octal + "\"");
        int bits = Integer.parseInt(s, 8);
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) if ((bits & (1 << i)) != 0) out.add(order[i]);
        return out;
    }

    private static void takeOverStale(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) return;
        if (!isSocket(path)) {
            throw new IOException(path + " exists and is not a socket; not replacing it (remove it, or name another path)");
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            throw new IOException("another server listens on " + path + " already");
        } catch (java.net.ConnectException e) {
            // nobody answers: left by a server that did not close
            Files.deleteIfExists(path);
            log.info("removed the stale socket file {} (no server answered on it)", path);
        }
    }

    /** A socket; where the file's type bits cannot be read, any special file (not a regular file, directory or link). */
    private static boolean isSocket(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) return false;
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("unix")) {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return (mode & S_IFMT) == S_IFSOCK;
        }
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
    }
}
