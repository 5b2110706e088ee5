"""Verifies the DKIM signatures of the mail on standard input with dkimpy (Debian's
python3-dkim), asking the loopback test DNS server 127.0.0.1:PORT for the keys.

Usage: /usr/bin/python3 dkimpy-verify.py PORT MAILFILE...
Prints one line per mail: the result of each DKIM-Signature, top to bottom, joined by
" | ": "pass", or "fail: <why>".
"""
import sys

import dkim
import dns.resolver


def main():
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = ["127.0.0.1"]
    resolver.port = int(sys.argv[1])

    def txt(name, timeout=5):
        qname = name.decode() if isinstance(name, bytes) else name
        try:
            answer = resolver.resolve(qname, "TXT", lifetime=timeout)
        except Exception:
            return None
        for record in answer:
            return b"".join(record.strings)
        return None

    for path in sys.argv[2:]:
        with open(path, "rb") as f:
            message = f.read()
        verifier = dkim.DKIM(message)
        count = sum(1 for name, _ in verifier.headers if name.lower() == b"dkim-signature")
        results = []
        for idx in range(count):
            try:
                ok = verifier.verify(idx=idx, dnsfunc=txt)
                results.append("pass" if ok else "fail: signature did not verify")
            except dkim.DKIMException as e:
                results.append("fail: " + str(e))
        print(" | ".join(results) if results else "none")


if __name__ == "__main__":
    main()
