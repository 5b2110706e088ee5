package org.decency.cli;

import ch.qos.logback.classic.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.decency.checks.spf.ReceivedSpf;
import org.decency.checks.spf.SpfEvaluator;
import org.decency.checks.spf.SpfRequest;
import org.decency.checks.spf.SpfResult;
import org.decency.checks.spf.SpfVerdict;
import org.decency.config.ConfigLoader;
import org.decency.config.Durations;
import org.decency.core.IpAddress;
import org.decency.core.LocalHost;
import org.decency.dns.resolver.DnsSettings;
import org.decency.dns.resolver.DnsjavaDns;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code decency spf --ip IP --helo NAME --sender ADDR}: evaluates SPF as the SPF module
 * does and prints the result word on the first line, then the explanation (for a fail),
 * the why and the Received-SPF header. Without {@code --dns} it asks the nameservers of
 * the config's {@code dns:} section, or else the system's.
 */
@Command(name = "spf", mixinStandardHelpOptions = true,
        description = "Evaluate SPF (RFC 7208) for a client address, HELO name and sender; prints the result first.")
final class SpfCommand implements Callable<Integer> {

    @Option(names = "--ip", required = true, description = "the client's IP address")
    String ip;

    @Option(names = "--helo", defaultValue = "", description = "the HELO/EHLO name")
    String helo;

    @Option(names = "--sender", defaultValue = "", description = "the MAIL FROM address; empty (a bounce): the HELO name is checked")
    String sender;

    @Option(names = "--dns", description = "a nameserver to ask, HOST:PORT (repeatable); default: the config's dns: servers")
    List<String> dns;

    @Option(names = {"-c", "--config"}, defaultValue = "${env:DECENCY_HOME:-.}/config/doorman.yml",
            description = "the config whose dns: servers are asked without --dns (default: ${DEFAULT-VALUE})")
    Path config;

    @Option(names = "--timeout", defaultValue = "20s", description = "how long the whole evaluation may take (default: ${DEFAULT-VALUE})")
    String timeout;

    @Override
    public Integer call() {
        IpAddress address = IpAddress.parse(ip).orElse(null);
        if (address == null) return usage("not an IP address: " + ip);
        if (sender.isBlank() && helo.isBlank()) return usage("give --sender, or --helo for the HELO identity");
        Duration budget = Durations.parse(timeout).orElse(null);
        if (budget == null || budget.isZero()) return usage("not a duration: " + timeout);
        DnsSettings settings;
        try {
            settings = dns == null || dns.isEmpty() ? configured() : DnsSettings.of(dns.toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        // The resolver's start-up lines would come before the result on standard output.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.decency.dns")).setLevel(Level.ERROR);
        List<String> names = LocalHost.hostnames();
        SpfEvaluator spf = new SpfEvaluator(new DnsjavaDns(settings), budget, names.isEmpty() ? "unknown" : names.getFirst(),
                Clock.systemUTC());
        SpfRequest request = sender.isBlank() ? SpfRequest.helo(address, helo.strip())
                : SpfRequest.mailFrom(address, sender.strip(), helo.strip());
        SpfVerdict v = spf.evaluate(request);
        System.out.println(v.result().word());
        if (v.result() == SpfResult.FAIL) System.out.println("explanation: " + ReceivedSpf.printable(v.explanation()));
        System.out.println("why: " + ReceivedSpf.printable(v.why()));
        System.out.println(ReceivedSpf.header(v, request, sender.strip(), spf.receiver()));
        return 0;
    }

    /** The config's dns: section, or the defaults (the system's resolver) without a config. */
    private DnsSettings configured() {
        if (!Files.exists(config)) return DnsSettings.defaults();
        return DnsSettings.read(ConfigLoader.load(config));
    }

    private static int usage(String problem) {
        System.err.println("error: " + problem);
        return 2;
    }
}
