package org.decency.checks.crm114;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A CRM114 user folder made as docs/CONFIG.md says: Debian's mailfilter.cf with the
 * logging of every mail turned off, empty rewrites.mfp and priolist.mfp, and empty
 * spam.css and nonspam.css made by cssutil.
 */
final class Crm114Home {
    private Crm114Home() {}

    static Path create(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String cf = Files.readString(Path.of("/usr/share/crm114/mailfilter.cf"))
                .replaceAll("(?m)^:log_to_allmail\\.txt:\\s+/yes/", ":log_to_allmail.txt: /no/")
                .replaceAll("(?m)^:log_rejections:\\s+/yes/", ":log_rejections: /no/");
        if (!cf.contains(":log_to_allmail.txt: /no/") || !cf.contains(":log_rejections: /no/")) {
            throw new IOException("mailfilter.cf has changed: its logging could not be turned off");
        }
        Files.writeString(dir.resolve("mailfilter.cf"), cf);
        Files.writeString(dir.resolve("rewrites.mfp"), "");
        Files.writeString(dir.resolve("priolist.mfp"), "");
        for (String css : new String[] {"spam.css", "nonspam.css"}) {
            Process p = new ProcessBuilder("cssutil", "-b", "-r", css).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
            if (p.waitFor() != 0 || !Files.isRegularFile(dir.resolve(css))) throw new IOException("cssutil could not make " + css);
        }
        return dir;
    }
}
