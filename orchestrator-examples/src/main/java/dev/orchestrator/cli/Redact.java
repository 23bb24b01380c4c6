package dev.orchestrator.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Hides passwords in database URLs and in error messages that may quote them. */
final class Redact {

    // (?!\\*\\*\\*) keeps redaction idempotent: an already hidden value is left alone
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(password=)(?!\\*\\*\\*)([^&;\\s]*)");
    private static final Pattern USER_INFO = Pattern.compile("//([^:/@\\s]+):(?!\\*\\*\\*@)([^@/\\s]*)@");

    private Redact() {
    }

    /** {@code url} with {@code password=...} values and {@code user:pass@} passwords replaced by {@code ***}. */
    static String url(String url) {
        if (url == null) {
            return null;
        }
        String s = PASSWORD_PARAM.matcher(url).replaceAll("$1***");
        return USER_INFO.matcher(s).replaceAll("//$1:***@");
    }

    /**
     * {@code text} with every password of {@code url} removed, wherever it appears (drivers
     * sometimes quote the URL or its parts in their messages), and URL-shaped passwords redacted.
     */
    static String text(String text, String url) {
        if (text == null) {
            return null;
        }
        String s = text;
        for (String secret : secrets(url)) {
            s = s.replace(secret, "***");
        }
        return url(s);
    }

    private static List<String> secrets(String url) {
        List<String> out = new ArrayList<>();
        if (url == null) {
            return out;
        }
        Matcher m = PASSWORD_PARAM.matcher(url);
        while (m.find()) {
            if (m.group(2).length() >= 3) {
                out.add(m.group(2));
            }
        }
        m = USER_INFO.matcher(url);
        while (m.find()) {
            if (m.group(2).length() >= 3) {
                out.add(m.group(2));
            }
        }
        return out;
    }
}
