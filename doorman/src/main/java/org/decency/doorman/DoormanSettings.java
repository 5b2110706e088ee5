package org.decency.doorman;

import org.decency.config.ConfigNode;

/**
 * The Doorman's own settings: where to listen ({@code server: host, port, instances}),
 * the input limits ({@code server.limits}) and {@code disable_prepend}.
 *
 * @param instances event-loop threads answering requests (the seeds' process count);
 *                  default: the number of CPU cores
 */
public record DoormanSettings(String host, int port, int instances, PolicyLimits limits, boolean disablePrepend) {

    public static final int DEFAULT_PORT = 15000;

    /** Reads {@code server:} and {@code disable_prepend} from the root of doorman.yml. */
    public static DoormanSettings read(ConfigNode root) {
        boolean disablePrepend = root.bool("disable_prepend", false);
        ConfigNode server = root.child("server").orElse(ConfigNode.empty(root.file(), "server"));
        String host = server.string("host", "127.0.0.1");
        int port = server.integer("port", DEFAULT_PORT);
        if (port < 0 || port > 65535) throw server.required("port").error("expected a port between 0 and 65535 (0 = any free port)");
        int instances = server.integer("instances", Runtime.getRuntime().availableProcessors());
        if (instances < 1 || instances > 1024) throw server.required("instances").error("expected 1 to 1024 worker threads");
        PolicyLimits limits = server.child("limits").map(PolicyLimits::read).orElse(PolicyLimits.defaults());
        server.string("socket", "");
        server.finish();
        return new DoormanSettings(host, port, instances, limits, disablePrepend);
    }
}
