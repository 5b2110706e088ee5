package org.decency.core;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * This machine's host name and interface addresses, found without any DNS lookup
 * ({@link InetAddress#getLocalHost()} may ask the resolver; we never do).
 */
public final class LocalHost {
    private LocalHost() {}

    public static List<String> hostnames() {
        List<String> names = new ArrayList<>();
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) names.add(env.strip().toLowerCase(Locale.ROOT));
        try {
            Path p = Path.of("/etc/hostname");
            if (Files.isReadable(p)) {
                String n = Files.readString(p).strip().toLowerCase(Locale.ROOT);
                if (!n.isEmpty() && !names.contains(n)) names.add(n);
            }
        } catch (IOException ignored) {
            // no hostname file: the env name (if any) is all we know
        }
        return names;
    }

    public static List<String> addresses() {
        List<String> out = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    String text = a.getHostAddress();
                    int zone = text.indexOf('%');
                    out.add(zone < 0 ? text : text.substring(0, zone));
                }
            }
        } catch (SocketException ignored) {
            // no interfaces readable: nothing to compare against
        }
        return out;
    }
}
