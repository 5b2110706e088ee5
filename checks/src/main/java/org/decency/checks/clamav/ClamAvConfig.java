package org.decency.checks.clamav;

import java.time.Duration;
import org.decency.pipeline.OnFailure;
import org.decency.checks.support.MessageSizeLimit;
import org.decency.config.ConfigException;
import org.decency.config.ConfigNode;
import org.decency.pipeline.ModuleOptions;

/**
 * The settings of a ClamAV module (the seeds' keys). Example with the defaults:
 *
 * <pre>{@code
 * - ClamAV:
 *     path: /var/run/clamav/clamd.ctl   # clamd's LocalSocket; or, for its TCPSocket:
 *     # host: 127.0.0.1                 #   (the default host with port)
 *     # port: 3310
 *     timeout: 15s          # the module option; also each connect, send and answer
 *     max_size: 0           # larger mails are not scanned (0: no limit)
 *     on_failure: tempfail  # clamd down, timed out or in error: tempfail defers the mail, skip lets it pass unscanned
 *     weight_virus: 0       # score added for a virus (0 or negative); the virus: section decides the mail's fate
 * }</pre>
 */
record ClamAvConfig(ClamdAddress clamd, Duration timeout, MessageSizeLimit maxSize, OnFailure onFailure, double weightVirus) {

    static final String DEFAULT_HOST = "127.0.0.1";

    static ClamAvConfig from(ConfigNode n) {
        ClamdAddress address = address(n);
        Duration timeout = n.duration("timeout", ModuleOptions.DEFAULT_TIMEOUT);
        double weight = n.number("weight_virus", 0);
        if (weight > 0) {
            throw n.required("weight_virus").error("a virus is a reason against the mail: expected 0 or a negative score, got " + weight);
        }
        return new ClamAvConfig(address, timeout, MessageSizeLimit.read(n), OnFailure.read(n, OnFailure.TEMPFAIL), weight);
    }

    private static ClamdAddress address(ConfigNode n) {
        ConfigNode path = n.child("path").orElse(null);
        ConfigNode host = n.child("host").orElse(null);
        ConfigNode port = n.child("port").orElse(null);
        if (path != null) {
            ConfigNode other = port != null ? port : host;
            if (other != null) {
                throw other.error("either path (clamd's unix socket) or host and port (its TCP socket), not both");
            }
            String p = path.text().strip();
            if (p.isEmpty()) throw path.error("expected the path of clamd's unix socket (its LocalSocket), e.g. /var/run/clamav/clamd.ctl");
            return ClamdAddress.unix(n.dir().resolve(p).normalize());
        }
        if (port == null) {
            String key = host != null ? "port" : "path";
            throw ConfigException.at(n.file(), host != null ? host.line() : n.line(), n.path().isEmpty() ? key : n.path() + "." + key,
                    host != null ? "is required with host: clamd's TCPSocket"
                            : "is required: clamd's unix socket (its LocalSocket, e.g. /var/run/clamav/clamd.ctl), or host and port (its TCPSocket)");
        }
        int p = port.asInt();
        if (p < 1 || p > 65535) throw port.error("expected a port from 1 to 65535, got " + p);
        String h = host == null ? DEFAULT_HOST : host.text().strip();
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (h.isEmpty()) throw host.error("expected clamd's host name or address");
        return ClamdAddress.tcp(h, p);
    }
}
