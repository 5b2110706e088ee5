package org.decency.cli;

import java.net.InetSocketAddress;
import org.decency.config.ConfigNode;

/**
 * {@code metrics:}: where the Prometheus endpoint listens, off without it.
 * <pre>
 * metrics: {listen: 127.0.0.1:9464}     # GET http://127.0.0.1:9464/metrics
 * </pre>
 * Servers of one process that name the same address share one endpoint (their series
 * carry a {@code server} label); port 0 takes any free port (for tests).
 *
 * @param listen where to listen, or null when metrics are off
 */
public record MetricsSettings(InetSocketAddress listen) {

    public static final MetricsSettings OFF = new MetricsSettings(null);

    public boolean enabled() {
        return listen != null;
    }

    static MetricsSettings read(ConfigNode root) {
        ConfigNode m = root.child("metrics").orElse(null);
        if (m == null) return OFF;
        ConfigNode where = m.required("listen");
        m.finish();
        String t = where.text().strip();
        int colon = t.lastIndexOf(':');
        String host = colon > 0 ? t.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port = -1;
        try {
            if (colon > 0) port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (host.isEmpty() || port < 0 || port > 65535 || (host.contains(":") && !t.startsWith("["))) {
            throw where.error("expected HOST:PORT, e.g. 127.0.0.1:9464 or [::1]:9464, got \"" + where.text() + "\"");
        }
        return new MetricsSettings(new InetSocketAddress(host, port));
    }
}
