package org.decency.cli;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.decency.checks.dkim.DkimSummary;
import org.decency.checks.dkim.DkimVerifier;
import org.decency.checks.dkim.SignatureResult;
import org.decency.checks.dkim.VerifierPolicy;
import org.decency.config.ConfigLoader;
import org.decency.config.Durations;
import org.decency.dns.resolver.DnsSettings;
import org.decency.dns.resolver.DnsjavaDns;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code decency dkim verify FILE}: verifies the DKIM signatures of a raw mail as the
 * DKIMVerify module does, and prints the mail's result on the first line, then one line
 * per signature (d=, s=, a=, result, why). Without {@code --dns} it asks the nameservers of
 * the config's {@code dns:} section, or else the system's.
 */
@Command(name = "dkim", mixinStandardHelpOptions = true, subcommands = DkimCommand.Verify.class,
        description = "DKIM (RFC 6376) tools.")
final class DkimCommand implements Runnable {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verify the DKIM signatures of a raw mail; prints the result first, then each signature.")
    static final class Verify implements Callable<Integer> {

        @Parameters(paramLabel = "FILE", description = "the mail as received (header, blank line, body)")
        Path file;

        @Option(names = "--dns", description = "a nameserver to ask, HOST:PORT (repeatable); default: the config's dns: servers")
        List<String> dns;

        @Option(names = {"-c", "--config"}, defaultValue = "${env:DECENCY_HOME:-.}/config/detective.yml",
                description = "the config whose dns: servers are asked without --dns (default: ${DEFAULT-VALUE})")
        Path config;

        @Option(names = "--timeout", defaultValue = "20s", description = "how long the key lookups may take in all (default: ${DEFAULT-VALUE})")
        String timeout;

        @Option(names = "--allow-rsa-sha1", description = "accept rsa-sha1 signatures (RFC 8301 forbids them)")
        boolean allowSha1;

        @Option(names = "--min-rsa-bits", defaultValue = "1024", description = "the shortest RSA key accepted (default: ${DEFAULT-VALUE})")
        int minRsaBits;

        @Override
        public Integer call() throws IOException {
            if (!Files.isRegularFile(file)) return usage("no such file: " + file);
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
            VerifierPolicy policy = VerifierPolicy.rfc8301(budget, Clock.systemUTC()).withSha1(allowSha1, minRsaBits);
            List<SignatureResult> results;
            try (InputStream in = Files.newInputStream(file)) {
                results = new DkimVerifier(new DnsjavaDns(settings), policy).verify(in);
            }
            System.out.println(DkimSummary.overall(results, false).word());
            if (results.isEmpty()) System.out.println("no DKIM-Signature");
            for (SignatureResult r : results) System.out.println(r.describe());
            return 0;
        }

        private DnsSettings configured() {
            if (!Files.exists(config)) return DnsSettings.defaults();
            return DnsSettings.read(ConfigLoader.load(config));
        }

        private static int usage(String problem) {
            System.err.println("error: " + problem);
            return 2;
        }
    }
}
