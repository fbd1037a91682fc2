package io.jenkins.plugins.dbbackup.engine.source.mariadb;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Counts the rows of every table in a MySQL/MariaDB SQL dump as its bytes pass by: one pass, no copy of the data,
 * memory bounded by the number of tables (not by statement or row size).
 *
 * <p>It follows the SQL text the way the {@code mariadb}/{@code mysql} client splits it into statements: quoted
 * strings ({@code '...'} and {@code "..."} with backslash escapes and doubled quotes), backticked identifiers
 * (with doubled backticks), comments ({@code -- }, {@code #}, {@code /* *}{@code /}), versioned comments
 * ({@code /*!50001 ...*}{@code /}, {@code /*M!100000 ...*}{@code /}) whose content is read as SQL, and the
 * client's {@code DELIMITER} command. Of the statements it reads only the first words:
 * <ul>
 *   <li>{@code CREATE [OR REPLACE] TABLE [IF NOT EXISTS] [db.]t} registers table {@code t} (0 rows);</li>
 *   <li>{@code DROP TABLE|VIEW [IF EXISTS] [db.]t} forgets it (mysqldump's placeholder tables for views);</li>
 *   <li>{@code INSERT|REPLACE [modifiers] [INTO] [db.]t [(columns)] VALUES (...),(...)} adds one row per
 *       top-level parenthesised tuple;</li>
 *   <li>{@code USE db} switches the database that unqualified names belong to;</li>
 *   <li>{@code CREATE|DROP|ALTER DATABASE db} and {@code USE db} are remembered ({@link #databasesUsed()}), so that
 *       a restore can stop a dump that would reach beyond its target.</li>
 * </ul>
 * Keys are {@code database.table} with the names unquoted, in the order tables first appear.
 *
 * <p>Strings are read with backslash escapes, as the dump tools write them and as the client replays them (every
 * dump resets {@code SQL_MODE}, so {@code NO_BACKSLASH_ESCAPES} is off when it is restored). A multi-byte
 * delimiter's bytes (e.g. {@code ;;}) have no other meaning while they are being matched.
 *
 * <p>Not thread-safe: one thread feeds it; read the results after the last {@link #update} (the caller provides
 * the happens-before edge, e.g. by joining the feeding thread).
 */
public final class DumpRowCounter {
    // what the current statement is
    private static final int HEAD = 0; // reading its first words
    private static final int SKIP = 1; // not interesting: only watch for its end
    private static final int VALUES = 2; // the row tuples of an INSERT
    private static final int DELIMITER_ARGUMENT = 3; // the rest of a DELIMITER line

    // lexical states
    private static final int NORMAL = 0;
    private static final int SINGLE_QUOTED = 1;
    private static final int DOUBLE_QUOTED = 2;
    private static final int BACKTICKED = 3;
    private static final int LINE_COMMENT = 4;
    private static final int BLOCK_COMMENT = 5;
    private static final int SINGLE_QUOTED_ESCAPE = 6;
    private static final int DOUBLE_QUOTED_ESCAPE = 7;
    private static final int BACKTICK_END = 8;
    private static final int DASH = 9;
    private static final int DASH_DASH = 10;
    private static final int SLASH = 11;
    private static final int SLASH_STAR = 12;
    private static final int SLASH_STAR_M = 13;
    private static final int VERSION = 14;
    private static final int BLOCK_STAR = 15;
    private static final int STAR = 16;
    private static final int IN_DELIMITER = 17;

    // byte classes in NORMAL outside HEAD
    private static final byte PLAIN = 0;
    private static final byte QUOTE1 = 1;
    private static final byte QUOTE2 = 2;
    private static final byte BACKTICK = 3;
    private static final byte HASH = 4;
    private static final byte MINUS = 5;
    private static final byte DIVIDE = 6;
    private static final byte ASTERISK = 7;
    private static final byte OPEN = 8;
    private static final byte CLOSE = 9;
    private static final byte DELIMITER_START = 10;
    private static final byte[] BASE_CLASSES = new byte[256];

    static {
        BASE_CLASSES['\''] = QUOTE1;
        BASE_CLASSES['"'] = QUOTE2;
        BASE_CLASSES['`'] = BACKTICK;
        BASE_CLASSES['#'] = HASH;
        BASE_CLASSES['-'] = MINUS;
        BASE_CLASSES['/'] = DIVIDE;
        BASE_CLASSES['*'] = ASTERISK;
        BASE_CLASSES['('] = OPEN;
        BASE_CLASSES[')'] = CLOSE;
    }

    // head tokens
    private static final int WORD = 0;
    private static final int QUOTED_NAME = 1;
    private static final int STRING = 2;
    private static final int PUNCTUATION = 3;
    private static final int MAX_TOKENS = 16;
    private static final int MAX_TOKEN_BYTES = 1024;
    private static final int MAX_DELIMITER = 16;

    private static final Set<String> INSERT_MODIFIERS = Set.of("LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE");

    private final byte[] classes = BASE_CLASSES.clone();
    private final Map<String, Table> tables = new LinkedHashMap<>();
    private final Set<String> databasesUsed = new LinkedHashSet<>();
    private String database;

    private int mode = HEAD;
    private int lex = NORMAL;
    private boolean versioned;
    private int versionDigits;
    private int depth;
    private Table target;
    private byte[] delimiter = {';'};
    private int delimiterMatched;

    private final int[] tokenKinds = new int[MAX_TOKENS];
    private final String[] tokenTexts = new String[MAX_TOKENS];
    private int tokens;
    private final byte[] word = new byte[MAX_TOKEN_BYTES];
    private int wordLength;
    private boolean wordActive;
    private boolean wordTooLong;
    private int headParens;
    private final byte[] delimiterArgument = new byte[MAX_DELIMITER + 1];
    private int delimiterArgumentLength;

    /**
     * @param initialDatabase the database unqualified names belong to until a {@code USE} (the dumped database
     *     of a single-database dump); null when the dump names its databases itself
     */
    public DumpRowCounter(String initialDatabase) {
        this.database = initialDatabase;
        classes[';'] = DELIMITER_START;
    }

    /** Scans {@code len} bytes of {@code b} from {@code off}. */
    public void update(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        int i = off;
        int end = off + len;
        while (i < end) {
            if (mode == DELIMITER_ARGUMENT) {
                delimiterArgumentByte(b[i++]);
                continue;
            }
            switch (lex) {
                case NORMAL -> i = mode == HEAD ? headByte(b, i) : normal(b, i, end);
                case SINGLE_QUOTED -> i = quoted(b, i, end, (byte) '\'', SINGLE_QUOTED_ESCAPE);
                case DOUBLE_QUOTED -> i = quoted(b, i, end, (byte) '"', DOUBLE_QUOTED_ESCAPE);
                case BACKTICKED -> i = backticked(b, i, end);
                case LINE_COMMENT -> i = lineComment(b, i, end);
                case BLOCK_COMMENT -> i = blockComment(b, i, end);
                default -> i = pending(b[i]) ? i + 1 : i;
            }
        }
    }

    /** Scans one byte. */
    public void update(int b) {
        update(new byte[] {(byte) b}, 0, 1);
    }

    /** Rows per table, keyed {@code database.table}, in the order the tables appeared. */
    public Map<String, Long> counts() {
        Map<String, Long> result = new LinkedHashMap<>();
        tables.forEach((k, t) -> result.put(k, t.rows));
        return result;
    }

    /**
     * The databases the dump names in {@code USE}, {@code CREATE DATABASE}, {@code DROP DATABASE} or
     * {@code ALTER DATABASE}, in order: a restore checks them before it lets such a statement through.
     */
    public Set<String> databasesUsed() {
        return Collections.unmodifiableSet(databasesUsed);
    }

    /** The database unqualified names belong to now; null if none yet. */
    public String currentDatabase() {
        return database;
    }

    // ---------------------------------------------------------------------------------------------- fast paths

    /** NORMAL state outside HEAD: skip plain bytes, act on the few that matter. */
    private int normal(byte[] b, int i, int end) {
        final byte[] cls = classes;
        while (i < end) {
            if (mode == VALUES && depth == 0) {
                // between rows: only whitespace, commas, comments, the next row or the end are expected
                int c = b[i] & 0xff;
                if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == ',') {
                    i++;
                    continue;
                }
                if (c == '(') {
                    target.rows++;
                    depth = 1;
                    i++;
                    continue;
                }
                byte k = cls[c];
                if (k != DELIMITER_START && k != MINUS && k != DIVIDE && k != HASH && k != ASTERISK) {
                    // e.g. ON DUPLICATE KEY UPDATE: no more rows in this statement
                    mode = SKIP;
                }
            } else {
                while (i < end && cls[b[i] & 0xff] == PLAIN) {
                    i++;
                }
                if (i == end) {
                    return i;
                }
            }
            byte k = cls[b[i++] & 0xff];
            switch (k) {
                case PLAIN -> {
                    // nothing to do
                }
                case QUOTE1 -> {
                    lex = SINGLE_QUOTED;
                    return i;
                }
                case QUOTE2 -> {
                    lex = DOUBLE_QUOTED;
                    return i;
                }
                case BACKTICK -> {
                    lex = BACKTICKED;
                    return i;
                }
                case HASH -> {
                    lex = LINE_COMMENT;
                    return i;
                }
                case MINUS -> {
                    lex = DASH;
                    return i;
                }
                case DIVIDE -> {
                    lex = SLASH;
                    return i;
                }
                case ASTERISK -> {
                    if (versioned) {
                        lex = STAR;
                        return i;
                    }
                }
                case OPEN -> {
                    if (mode == VALUES) {
                        depth++;
                    }
                }
                case CLOSE -> {
                    if (mode == VALUES && depth > 0) {
                        depth--;
                    }
                }
                case DELIMITER_START -> {
                    delimiterStart();
                    return i;
                }
                default -> throw new IllegalStateException("byte class " + k);
            }
        }
        return i;
    }

    private int quoted(byte[] b, int i, int end, byte quote, int escapeState) {
        while (i < end) {
            byte c = b[i++];
            if (c == '\\') {
                if (i == end) {
                    lex = escapeState;
                    return i;
                }
                i++;
            } else if (c == quote) {
                lex = NORMAL;
                if (mode == HEAD) {
                    addToken(STRING, null);
                }
                return i;
            }
        }
        return i;
    }

    private int backticked(byte[] b, int i, int end) {
        while (i < end) {
            byte c = b[i++];
            if (c == '`') {
                lex = BACKTICK_END;
                return i;
            }
            if (mode == HEAD) {
                appendWord(c);
            }
        }
        return i;
    }

    private int lineComment(byte[] b, int i, int end) {
        while (i < end) {
            if (b[i++] == '\n') {
                lex = NORMAL;
                return i;
            }
        }
        return i;
    }

    private int blockComment(byte[] b, int i, int end) {
        while (i < end) {
            if (b[i++] == '*') {
                lex = BLOCK_STAR;
                return i;
            }
        }
        return i;
    }

    // ---------------------------------------------------------------------------------------------- one byte

    /** A byte after a byte that could start or end a two-byte sequence. Returns whether it was consumed. */
    private boolean pending(byte c) {
        switch (lex) {
            case SINGLE_QUOTED_ESCAPE -> {
                lex = SINGLE_QUOTED;
                return true;
            }
            case DOUBLE_QUOTED_ESCAPE -> {
                lex = DOUBLE_QUOTED;
                return true;
            }
            case BACKTICK_END -> {
                if (c == '`') {
                    if (mode == HEAD) {
                        appendWord(c);
                    }
                    lex = BACKTICKED;
                    return true;
                }
                lex = NORMAL;
                if (mode == HEAD) {
                    finishWord(QUOTED_NAME);
                }
                return false;
            }
            case DASH -> {
                if (c == '-') {
                    lex = DASH_DASH;
                    return true;
                }
                lex = NORMAL;
                punctuation('-');
                return false;
            }
            case DASH_DASH -> {
                if ((c & 0xff) <= ' ') {
                    lex = c == '\n' ? NORMAL : LINE_COMMENT;
                    return true;
                }
                lex = NORMAL;
                punctuation('-');
                punctuation('-');
                return false;
            }
            case SLASH -> {
                if (c == '*') {
                    lex = SLASH_STAR;
                    return true;
                }
                lex = NORMAL;
                punctuation('/');
                return false;
            }
            case SLASH_STAR -> {
                if (c == '!') {
                    openVersioned();
                    return true;
                }
                if (c == 'M') {
                    lex = SLASH_STAR_M;
                    return true;
                }
                lex = BLOCK_COMMENT;
                return false;
            }
            case SLASH_STAR_M -> {
                if (c == '!') {
                    openVersioned();
                    return true;
                }
                lex = BLOCK_COMMENT;
                return false;
            }
            case VERSION -> {
                if (c >= '0' && c <= '9' && versionDigits < 6) {
                    versionDigits++;
                    return true;
                }
                lex = NORMAL;
                return false;
            }
            case BLOCK_STAR -> {
                lex = c == '/' ? NORMAL : c == '*' ? BLOCK_STAR : BLOCK_COMMENT;
                return true;
            }
            case STAR -> {
                lex = NORMAL;
                if (c == '/') {
                    versioned = false;
                    return true;
                }
                punctuation('*');
                return false;
            }
            case IN_DELIMITER -> {
                if (c == delimiter[delimiterMatched]) {
                    delimiterMatched++;
                    if (delimiterMatched == delimiter.length) {
                        lex = NORMAL;
                        endStatement();
                    }
                    return true;
                }
                // not the delimiter after all: the bytes matched so far mean nothing here
                lex = NORMAL;
                delimiterMatched = 0;
                return false;
            }
            default -> throw new IllegalStateException("lexical state " + lex);
        }
    }

    private void openVersioned() {
        versioned = true;
        versionDigits = 0;
        lex = VERSION;
        if (mode == HEAD && wordActive) {
            finishWord(WORD);
        }
    }

    private void delimiterStart() {
        if (delimiter.length == 1) {
            endStatement();
        } else {
            delimiterMatched = 1;
            lex = IN_DELIMITER;
        }
    }

    /** HEAD, NORMAL state: one byte at a time, building words. Returns the next index. */
    private int headByte(byte[] b, int i) {
        byte c = b[i];
        int u = c & 0xff;
        if (isWordByte(u)) {
            appendWord(c);
            wordActive = true;
            return i + 1;
        }
        if (wordActive) {
            finishWord(WORD);
            if (mode != HEAD) {
                return i; // the word decided the statement: read this byte in the new mode
            }
        }
        switch (classes[u]) {
            case QUOTE1 -> lex = SINGLE_QUOTED;
            case QUOTE2 -> lex = DOUBLE_QUOTED;
            case BACKTICK -> {
                lex = BACKTICKED;
                wordLength = 0;
                wordTooLong = false;
            }
            case HASH -> lex = LINE_COMMENT;
            case MINUS -> lex = DASH;
            case DIVIDE -> lex = SLASH;
            case ASTERISK -> {
                if (versioned) {
                    lex = STAR;
                } else {
                    punctuation('*');
                }
            }
            case OPEN -> {
                if (headParens > 0) {
                    headParens++;
                } else {
                    addToken(PUNCTUATION, "(");
                }
            }
            case CLOSE -> {
                if (headParens > 0) {
                    headParens--;
                    if (headParens == 0) {
                        addToken(PUNCTUATION, ")");
                    }
                } else {
                    addToken(PUNCTUATION, ")");
                }
            }
            case DELIMITER_START -> delimiterStart();
            default -> {
                if (u > ' ') {
                    punctuation((char) u);
                }
            }
        }
        return i + 1;
    }

    private static boolean isWordByte(int u) {
        return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '_' || u == '$'
                || u >= 0x80;
    }

    private void appendWord(byte c) {
        if (wordLength < MAX_TOKEN_BYTES) {
            word[wordLength++] = c;
        } else {
            wordTooLong = true;
        }
    }

    private void finishWord(int kind) {
        String text = wordTooLong ? null : new String(word, 0, wordLength, StandardCharsets.UTF_8);
        wordActive = false;
        wordLength = 0;
        wordTooLong = false;
        if (kind == WORD && tokens == 0 && "DELIMITER".equalsIgnoreCase(text)) {
            mode = DELIMITER_ARGUMENT;
            delimiterArgumentLength = 0;
            return;
        }
        addToken(kind, text);
    }

    private void punctuation(char c) {
        if (mode != HEAD) {
            return;
        }
        if (wordActive) {
            finishWord(WORD);
        }
        addToken(PUNCTUATION, String.valueOf(c));
    }

    private void addToken(int kind, String text) {
        if (mode != HEAD || headParens > 0) {
            return;
        }
        if (tokens == MAX_TOKENS) {
            mode = SKIP;
            return;
        }
        tokenKinds[tokens] = kind;
        tokenTexts[tokens] = text;
        tokens++;
        match(false);
    }

    private void delimiterArgumentByte(byte c) {
        if (c == '\n') {
            int from = 0;
            while (from < delimiterArgumentLength && (delimiterArgument[from] & 0xff) <= ' ') {
                from++;
            }
            int to = from;
            while (to < delimiterArgumentLength && (delimiterArgument[to] & 0xff) > ' ') {
                to++;
            }
            if (to > from && to - from <= MAX_DELIMITER) {
                setDelimiter(java.util.Arrays.copyOfRange(delimiterArgument, from, to));
            }
            resetStatement();
        } else if (delimiterArgumentLength < delimiterArgument.length) {
            delimiterArgument[delimiterArgumentLength++] = c;
        }
    }

    private void setDelimiter(byte[] newDelimiter) {
        classes[delimiter[0] & 0xff] = BASE_CLASSES[delimiter[0] & 0xff];
        delimiter = newDelimiter;
        classes[delimiter[0] & 0xff] = DELIMITER_START;
    }

    // ---------------------------------------------------------------------------------------------- statements

    private void endStatement() {
        if (mode == HEAD) {
            if (wordActive) {
                finishWord(WORD);
            }
            if (mode == HEAD) {
                match(true);
            }
        }
        resetStatement();
    }

    private void resetStatement() {
        mode = HEAD;
        depth = 0;
        target = null;
        tokens = 0;
        headParens = 0;
        wordActive = false;
        wordLength = 0;
        wordTooLong = false;
        delimiterMatched = 0;
    }

    /**
     * Looks at the statement's first tokens; switches to SKIP or VALUES once they decide it. Called after each
     * new token, and once more ({@code ended}) when the statement ends while still undecided.
     */
    private void match(boolean ended) {
        String first = keyword(0);
        if (first == null) {
            if (tokens > 0) {
                mode = SKIP;
            }
            return;
        }
        switch (first) {
            case "USE" -> {
                if (tokens > 1) {
                    if (isName(1)) {
                        database = tokenTexts[1];
                        databasesUsed.add(database);
                    }
                    mode = SKIP;
                }
            }
            case "INSERT", "REPLACE" -> matchInsert(ended);
            case "CREATE" -> {
                if (isDatabaseKeyword(1)) {
                    matchDatabase(2, true);
                } else {
                    matchCreate(ended);
                }
            }
            case "DROP" -> {
                if (isDatabaseKeyword(1)) {
                    matchDatabase(2, false);
                } else {
                    matchDrop(ended);
                }
            }
            case "ALTER" -> {
                if (tokens > 1) {
                    if (isDatabaseKeyword(1)) {
                        matchDatabase(2, false);
                    } else {
                        mode = SKIP;
                    }
                }
            }
            default -> mode = SKIP;
        }
    }

    private boolean isDatabaseKeyword(int i) {
        String k = keyword(i);
        return "DATABASE".equals(k) || "SCHEMA".equals(k);
    }

    /** {@code CREATE|DROP|ALTER DATABASE [IF [NOT] EXISTS] name}: remembers the name. */
    private void matchDatabase(int i, boolean create) {
        if (i >= tokens) {
            return;
        }
        if ("IF".equals(keyword(i))) {
            i = skipIfExists(i, create);
            if (i < 0) {
                return;
            }
        }
        if (i >= tokens) {
            return;
        }
        if (isName(i) && tokenKinds[i] == QUOTED_NAME || isName(i) && !"CHARACTER".equals(keyword(i))
                && !"DEFAULT".equals(keyword(i)) && !"COLLATE".equals(keyword(i))) {
            databasesUsed.add(tokenTexts[i]);
        }
        mode = SKIP;
    }

    private void matchInsert(boolean ended) {
        int i = 1;
        while (i < tokens && INSERT_MODIFIERS.contains(String.valueOf(keyword(i)))) {
            i++;
        }
        if (i >= tokens) {
            return;
        }
        if ("INTO".equals(keyword(i))) {
            i++;
        }
        int after = nameEnd(i, ended);
        if (after < 0) {
            return;
        }
        if (after == 0) {
            mode = SKIP;
            return;
        }
        if (after >= tokens) {
            return;
        }
        if (isPunctuation(after, "(")) {
            if (after + 1 >= tokens) {
                headParens = 1; // a column list: skip it as a whole
                return;
            }
            after += 2;
            if (after >= tokens) {
                return;
            }
        }
        String values = keyword(after);
        if ("VALUES".equals(values) || "VALUE".equals(values)) {
            target = table(qualifier(i), tableName(i));
            mode = target == null ? SKIP : VALUES;
            depth = 0;
        } else {
            mode = SKIP;
        }
    }

    private void matchCreate(boolean ended) {
        int i = 1;
        if ("OR".equals(keyword(i))) {
            if (!"REPLACE".equals(keyword(i + 1))) {
                skipUnlessShort(i + 1);
                return;
            }
            i += 2;
        }
        if (i >= tokens) {
            return;
        }
        if (!"TABLE".equals(keyword(i))) {
            mode = SKIP;
            return;
        }
        i = skipIfExists(i + 1, true);
        if (i < 0) {
            return;
        }
        int after = nameEnd(i, ended);
        if (after < 0) {
            return;
        }
        if (after > 0) {
            table(qualifier(i), tableName(i));
        }
        mode = SKIP;
    }

    private void matchDrop(boolean ended) {
        if (tokens < 2) {
            return;
        }
        String what = keyword(1);
        if (!"TABLE".equals(what) && !"VIEW".equals(what)) {
            mode = SKIP;
            return;
        }
        int i = skipIfExists(2, false);
        if (i < 0) {
            return;
        }
        int after = nameEnd(i, ended);
        if (after < 0) {
            return;
        }
        if (after > 0) {
            String db = qualifier(i);
            if (db != null) {
                tables.remove(db + "." + tableName(i));
            }
        }
        mode = SKIP;
    }

    /** Index after {@code IF [NOT] EXISTS} at {@code i} (or {@code i}); -1 when more tokens are needed. */
    private int skipIfExists(int i, boolean not) {
        if (i >= tokens) {
            return -1;
        }
        if (!"IF".equals(keyword(i))) {
            return i;
        }
        int need = not ? 3 : 2;
        if (i + need > tokens) {
            return -1;
        }
        return i + need;
    }

    private void skipUnlessShort(int i) {
        if (i < tokens) {
            mode = SKIP;
        }
    }

    /**
     * A name at {@code i}: {@code t} or {@code db . t}. Returns the index after it, 0 when there is none, -1 when
     * more tokens are needed to tell.
     */
    private int nameEnd(int i, boolean ended) {
        if (i >= tokens) {
            return ended ? 0 : -1;
        }
        if (!isName(i)) {
            return 0;
        }
        if (i + 1 >= tokens) {
            return ended ? i + 1 : -1;
        }
        if (isPunctuation(i + 1, ".")) {
            if (i + 2 >= tokens) {
                return ended ? 0 : -1;
            }
            return isName(i + 2) ? i + 3 : 0;
        }
        return i + 1;
    }

    private String qualifier(int i) {
        return i + 1 < tokens && isPunctuation(i + 1, ".") ? tokenTexts[i] : database;
    }

    private String tableName(int i) {
        return i + 1 < tokens && isPunctuation(i + 1, ".") ? tokenTexts[i + 2] : tokenTexts[i];
    }

    private Table table(String db, String name) {
        if (db == null || name == null) {
            return null;
        }
        return tables.computeIfAbsent(db + "." + name, k -> new Table());
    }

    private String keyword(int i) {
        if (i >= tokens || tokenKinds[i] != WORD || tokenTexts[i] == null) {
            return null;
        }
        return tokenTexts[i].toUpperCase(Locale.ROOT);
    }

    private boolean isName(int i) {
        return (tokenKinds[i] == WORD || tokenKinds[i] == QUOTED_NAME) && tokenTexts[i] != null
                && !tokenTexts[i].isEmpty();
    }

    private boolean isPunctuation(int i, String p) {
        return tokenKinds[i] == PUNCTUATION && p.equals(tokenTexts[i]);
    }

    /** A row counter; mutable so the hot path does no map lookup. */
    private static final class Table {
        long rows;
    }
}
