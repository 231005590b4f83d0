# A scripted IMAP session the way backup tools and mail scripts drive Python's imaplib, against the
# real daemon (ImapMoreClientsIT). Arguments: host imap-port imaps-port user password ca-cert-file.
# Every response goes through imaplib's own parser; the script asserts what it got and prints
# "key=value" lines for the Java side, which checks the server's state through Angus Mail.
# A failed assertion exits non-zero with imaplib's last interactions.
import imaplib
import re
import ssl
import sys
import time

host, port, ports, user, password, cafile = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]

# the daemon's self-signed certificate is the trust anchor; its names are mx.example.test and localhost
ctx = ssl.create_default_context(cafile=cafile)
ctx.check_hostname = False

MSG1 = (b"From: Bob <bob@remote.example>\r\n"
        b"To: alice@example.test\r\n"
        b"Subject: =?UTF-8?Q?K=C3=A4se?= und Brot\r\n"
        b"Message-ID: <py-1@remote.example>\r\n"
        b"Date: Mon, 02 Feb 2026 10:00:00 +0000\r\n"
        b"MIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
        b"\r\n"
        b"--b1\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n"
        b"\r\n"
        b"Gr\xc3\xbc\xc3\x9fe aus K\xc3\xb6ln\r\n"
        b"--b1\r\n"
        b"Content-Type: application/octet-stream; name=\"a.bin\"\r\n"
        b"Content-Disposition: attachment; filename=\"a.bin\"\r\n"
        b"Content-Transfer-Encoding: base64\r\n"
        b"\r\n"
        b"AAECAw==\r\n"
        b"--b1--\r\n")
MSG2 = (b"From: carol@remote.example\r\n"
        b"To: alice@example.test\r\n"
        b"Subject: plain one\r\n"
        b"Message-ID: <py-2@remote.example>\r\n"
        b"\r\n"
        b"just text\r\n")


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def ok(result, what):
    typ, data = result
    check(typ == "OK", "%s: %s %r" % (what, typ, data))
    return data


def code(data, name):
    """The numbers of a response code such as [APPENDUID v uid] in a tagged OK's text."""
    for d in data:
        if isinstance(d, bytes):
            m = re.search(rb"\[" + name + rb" ([^\]]*)\]", d)
            if m:
                return m.group(1).decode().split(" ")
    raise AssertionError("no %s in %r" % (name.decode(), data))


LIST_LINE = re.compile(rb'\((?P<attrs>[^)]*)\) "(?P<delim>[^"]*)" (?P<name>"(?:[^"\\]|\\.)*"|\S+)')


def listed(data):
    """LIST/LSUB data as {name as on the wire (quotes removed): attributes}."""
    out = {}
    for d in data:
        m = LIST_LINE.fullmatch(d)
        check(m is not None, "LIST line imaplib returned: %r" % d)
        name = m.group("name")
        if name.startswith(b'"'):
            name = re.sub(rb'\\(.)', rb'\1', name[1:-1])
        out[name.decode()] = m.group("attrs").decode().split()
    return out


M = imaplib.IMAP4(host, port)
try:
    # RFC 9051 6.2.1 STARTTLS, then the capabilities anew
    ok(M.starttls(ssl_context=ctx), "STARTTLS")
    check("IMAP4REV1" in M.capabilities and "STARTTLS" not in M.capabilities, "after STARTTLS: %r" % (M.capabilities,))
    ok(M.login(user, password), "LOGIN")
    caps = ok(M.capability(), "CAPABILITY")[0].split()
    for c in (b"IDLE", b"MOVE", b"UIDPLUS", b"LITERAL+"):
        check(c in caps, "%s in %r" % (c, caps))

    # names that need quoting, modified UTF-7 (RFC 3501 5.1.3) and a child of a name that does not exist
    ok(M.create('"Sp ace"'), "CREATE quoted")
    ok(M.create('"Quo\\"te"'), "CREATE with an escaped quote")
    ok(M.create("&AMQ-pfel/Gr&APw-n"), "CREATE UTF-7 child")
    names = listed(ok(M.list('""', "*"), "LIST"))
    for n in ("INBOX", "Sent", "Sp ace", 'Quo"te', "&AMQ-pfel", "&AMQ-pfel/Gr&APw-n"):
        check(n in names, "%s listed: %r" % (n, names))
    # the parent exists only as a parent: an IMAP4rev1 client's base LIST says \Noselect (RFC 3501 7.2.2)
    check("\\Noselect" in names["&AMQ-pfel"], "parent attrs %r" % names["&AMQ-pfel"])
    check("\\HasChildren" in names["&AMQ-pfel"], "parent attrs %r" % names["&AMQ-pfel"])
    check("\\Sent" in names["Sent"], "special use %r" % names["Sent"])
    one = listed(ok(M.list('""', '"Sp ace"'), "LIST one quoted name"))
    check(list(one) == ["Sp ace"], "LIST \"Sp ace\": %r" % one)
    under = listed(ok(M.list('"&AMQ-pfel/"', "%"), "LIST with a reference"))
    check(list(under) == ["&AMQ-pfel/Gr&APw-n"], "LIST under the parent: %r" % under)

    # APPEND with flags and an internal date (RFC 9051 6.3.12), UIDPLUS APPENDUID (RFC 4315)
    when = time.mktime((2025, 1, 2, 3, 4, 5, 0, 0, -1))
    data = ok(M.append("INBOX", "(\\Flagged $Label1)", imaplib.Time2Internaldate(when), MSG1), "APPEND 1")
    uidvalidity, uid1 = code(data, b"APPENDUID")
    uid2 = code(ok(M.append("INBOX", None, None, MSG2), "APPEND 2"), b"APPENDUID")[1]
    print("appended_at=%d" % when)
    print("uid1=%s" % uid1)
    print("uid2=%s" % uid2)

    exists = ok(M.select("INBOX"), "SELECT")
    check(exists == [b"2"], "EXISTS %r" % exists)
    check(M.untagged_responses.get("UIDVALIDITY") == [uidvalidity.encode()], "UIDVALIDITY %r" % M.untagged_responses)

    # UID SEARCH with CHARSET UTF-8 and the text as a literal (RFC 9051 6.4.4)
    def search_utf8(key, text):
        M.literal = text.encode("utf-8")
        return ok(M.uid("SEARCH", "CHARSET", "UTF-8", key), "UID SEARCH %s" % key)[0].split()
    check(search_utf8("SUBJECT", "käse") == [uid1.encode()], "SUBJECT from an encoded word")
    check(search_utf8("BODY", "Köln") == [uid1.encode()], "BODY in an 8bit part")
    check(search_utf8("TEXT", "Grüße aus") == [uid1.encode()], "TEXT")
    check(search_utf8("BODY", "Zürich") == [], "no match")
    check(ok(M.uid("SEARCH", None, "FROM", "carol", "UNSEEN"), "UID SEARCH FROM")[0].split() == [uid2.encode()], "FROM")

    # UID FETCH of chosen header fields (PEEK: no \Seen), the structure, flags and the internal date
    data = ok(M.uid("FETCH", "%s,%s" % (uid1, uid2),
                    "(UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (From Subject Message-ID)] BODYSTRUCTURE)"),
              "UID FETCH")
    check(len(data) == 4, "two messages, each a literal and a tail: %r" % data)
    head1, tail1 = data[0][0] + data[1], data[0][1]
    check(tail1 == b"From: Bob <bob@remote.example>\r\nSubject: =?UTF-8?Q?K=C3=A4se?= und Brot\r\n"
                   b"Message-ID: <py-1@remote.example>\r\n\r\n", "header fields %r" % tail1)
    check(re.search(rb"UID %s\b" % uid1.encode(), head1), "UID in %r" % head1)
    flags1 = imaplib.ParseFlags(head1)
    check(set(flags1) >= {b"\\Flagged", b"$Label1"} and b"\\Seen" not in flags1, "flags %r" % (flags1,))
    check(time.mktime(imaplib.Internaldate2tuple(head1)) == when, "INTERNALDATE %r" % head1)
    check(b"RFC822.SIZE %d" % len(MSG1) in head1, "size %r" % head1)
    check(b'BODYSTRUCTURE (("text" "plain" ("charset" "utf-8") NIL NIL "8bit" 17 ' in head1, "text part %r" % head1)
    check(b'("application" "octet-stream" ("name" "a.bin") NIL NIL "base64" 8 NIL ("attachment" ("filename" "a.bin"))'
          in head1, "attachment part %r" % head1)
    check(b'"mixed" ("boundary" "b1")' in head1, "multipart %r" % head1)
    check(data[3] == b' BODYSTRUCTURE ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 11 1 NIL NIL NIL NIL))',
          "a simple message %r" % data[3])
    part = ok(M.uid("FETCH", uid1, "(BODY.PEEK[1] BODY.PEEK[2.MIME])"), "UID FETCH parts")
    check(part[0][1] == "Grüße aus Köln".encode("utf-8"), "part 1 %r" % part)
    check(part[1][1].startswith(b"Content-Type: application/octet-stream"), "part 2 MIME %r" % part)

    # UID STORE (RFC 9051 6.4.6), seen through the FETCH it answers with
    data = ok(M.uid("STORE", uid2, "+FLAGS", "(\\Seen \\Answered)"), "UID STORE")
    flags2 = imaplib.ParseFlags(data[0])
    check(set(flags2) >= {b"\\Seen", b"\\Answered"}, "stored %r" % data)

    # UID COPY (COPYUID) and UID MOVE (RFC 6851: COPYUID before the EXPUNGE)
    # (M.uid() keeps only untagged data; the tagged OK with COPYUID comes from _simple_command)
    copyuid = code(ok(M._simple_command("UID", "COPY", uid1, '"Sp ace"'), "UID COPY"), b"COPYUID")
    check(copyuid[1] == uid1, "COPYUID source %r" % copyuid)
    print("copied=%s" % copyuid[2])
    M.untagged_responses.pop("EXPUNGE", None)
    M.untagged_responses.pop("COPYUID", None)
    ok(M.uid("MOVE", uid2, "&AMQ-pfel/Gr&APw-n"), "UID MOVE")
    moved = M.untagged_responses.get("COPYUID", [b""])[0].decode().split(" ")
    check(len(moved) == 3 and moved[1] == uid2, "COPYUID of MOVE %r" % M.untagged_responses)
    print("moved=%s" % moved[2])
    check(M.untagged_responses.get("EXPUNGE") == [b"2"], "MOVE expunged 2: %r" % M.untagged_responses)
    M.untagged_responses.pop("EXPUNGE", None)

    # STORE \Deleted and EXPUNGE
    ok(M.uid("STORE", uid1, "+FLAGS.SILENT", "(\\Deleted)"), "UID STORE \\Deleted")
    check(ok(M.expunge(), "EXPUNGE") == [b"1"], "EXPUNGE of message 1")
    check(ok(M.uid("SEARCH", None, "ALL"), "UID SEARCH ALL") == [b""], "INBOX empty")

    # IDLE (RFC 2177) by raw commands: an APPEND on a second connection (IMAPS) wakes it
    M.sock.settimeout(30)
    tag = M._new_tag()
    M.send(tag + b" IDLE\r\n")
    check(M.readline().startswith(b"+ "), "IDLE continuation")
    N = imaplib.IMAP4_SSL(host, ports, ssl_context=ctx)
    ok(N.login(user, password), "second LOGIN")
    idle_uid = code(ok(N.append("INBOX", "(\\Draft)", None, b"Subject: while idling\r\n\r\nwake up\r\n"), "APPEND while idling"),
                    b"APPENDUID")[1]
    N.logout()
    line = M.readline()
    while not line.endswith(b"EXISTS\r\n"):
        line = M.readline()
    check(line == b"* 1 EXISTS\r\n", "IDLE saw %r" % line)
    M.send(b"DONE\r\n")
    line = M.readline()
    while not line.startswith(tag):
        line = M.readline()
    check(line.startswith(tag + b" OK"), "IDLE ended with %r" % line)
    print("idle_uid=%s" % idle_uid)

    # RFC 2180 3.2: a mailbox deleted while another session has it selected; that session ends
    # with BYE at its next command on it, which imaplib raises as IMAP4.abort
    O = imaplib.IMAP4_SSL(host, ports, ssl_context=ctx)
    ok(O.login(user, password), "third LOGIN")
    check(ok(O.select('"Quo\\"te"'), "SELECT Quo\"te") == [b"0"], "empty")
    ok(M.delete('"Quo\\"te"'), "DELETE while selected elsewhere")
    try:
        O.fetch("1:*", "(FLAGS)")
        raise AssertionError("FETCH in a deleted mailbox answered")
    except imaplib.IMAP4.abort as e:
        check("deleted" in str(e), "BYE text %s" % e)
    print("bye=ok")
    ok(M.close(), "CLOSE")
    M.logout()
    print("done")
except Exception:
    M.print_log() if hasattr(M, "print_log") else None
    raise
