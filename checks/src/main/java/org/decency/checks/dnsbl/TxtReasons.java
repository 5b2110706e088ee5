package org.decency.checks.dnsbl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.decency.dns.Dns;
import org.decency.dns.DnsType;

/**
 * The reasons lists give in TXT records beside their listings (often a URL to look the
 * listing up), cleaned for an SMTP reply: printable ASCII only, at most
 * {@value #MAX_LENGTH} characters.
 */
final class TxtReasons {
    static final int MAX_LENGTH = 150;

    private TxtReasons() {}

    /** Asks the TXT records of {@code names} (list → name) at once; the lists that answered in time. */
    static Map<Integer, String> fetch(Dns dns, Map<Integer, String> names, long deadline) throws InterruptedException {
        List<Integer> lists = new ArrayList<>(names.keySet());
        List<String> asked = lists.stream().map(names::get).toList();
        Map<Integer, String> out = new HashMap<>();
        ParallelQueries.ask(dns, asked, DnsType.TXT, deadline, (i, answer) -> {
            if (answer.found()) {
                String text = clean(String.join(" ", answer.values()));
                if (!text.isEmpty()) out.put(lists.get(i), text);
            }
            return false;
        });
        return out;
    }

    static String clean(String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : ' ');
        }
        String s = b.toString().replaceAll("\\s+", " ").strip();
        return s.length() <= MAX_LENGTH ? s : s.substring(0, MAX_LENGTH - 3) + "...";
    }
}
