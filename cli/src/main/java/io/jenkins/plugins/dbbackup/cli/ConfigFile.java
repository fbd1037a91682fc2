package io.jenkins.plugins.dbbackup.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The optional YAML configuration file: named databases, repositories and keys, the same setup as the Jenkins global
 * configuration, so that {@code --database-name orders --repo-name offsite} replaces a dozen options.
 *
 * <p>Secrets are never inline: a password, passphrase or key is named by a file path ({@code passwordFile}) or an
 * environment variable name ({@code passwordEnv}). An inline secret is refused with a message that names the field
 * and never shows its value. Relative paths are relative to the file's directory. Unknown fields are errors, so a
 * typo does not silently drop a setting.
 *
 * @param source the file read, for messages
 * @param databases database entries by name, in file order
 * @param repositories repository entries by name
 * @param keys key entries by name
 * @param defaults what applies when the command line names none
 */
record ConfigFile(Path source, Map<String, DatabaseEntry> databases, Map<String, RepositoryEntry> repositories,
        Map<String, KeyEntry> keys, Defaults defaults) {

    /** Field names that would hold a secret inline, and what to write instead. */
    private static final Map<String, String> INLINE_SECRETS = Map.ofEntries(
            Map.entry("password", "passwordFile (a path) or passwordEnv (an environment variable name)"),
            Map.entry("passphrase", "passphraseFile or passphraseEnv"),
            Map.entry("keyPassphrase", "keyPassphraseFile or keyPassphraseEnv"),
            Map.entry("secretKey", "secretKeyFile (the path of the secret key file)"),
            Map.entry("secretAccessKey", "secretAccessKeyEnv (an environment variable name)"),
            Map.entry("sessionToken", "sessionTokenEnv (an environment variable name)"),
            Map.entry("token", "an ...Env field naming an environment variable"));

    /**
     * A database.
     *
     * @param port null for the type's standard port
     * @param set the default backup set for this database, or null
     */
    record DatabaseEntry(String name, String type, String host, Integer port, String database, String user,
            Path passwordFile, String passwordEnv, String set) {}

    /** A repository; S3 fields apply to {@code s3://} URIs only. Credentials only as environment variable names. */
    record RepositoryEntry(String name, String uri, String region, String endpoint, Boolean pathStyle,
            String storageClass, String sse, String kmsKeyId, String objectLockMode, Integer objectLockDays,
            Integer partSizeMiB, String accessKeyIdEnv, String secretAccessKeyEnv, String sessionTokenEnv,
            io.jenkins.plugins.dbbackup.engine.retention.TierSettings tiers) {}

    /**
     * An OpenPGP key (public key for backups, secret key for verify and restore) and/or a symmetric passphrase.
     */
    record KeyEntry(String name, Path publicKeyFile, Path secretKeyFile, Path keyPassphraseFile,
            String keyPassphraseEnv, Path passphraseFile, String passphraseEnv) {}

    /**
     * @param database the database entry used when the command line names no database
     * @param repository the repository entry used when the command line names no repository
     * @param keys key entries used when the command line names no key
     * @param retention retention options ({@code keepDaily: 7}) for prune when no {@code --keep-*} option is given
     */
    record Defaults(String database, String repository, List<String> keys, Map<String, String> retention) {
        static final Defaults NONE = new Defaults(null, null, List.of(), Map.of());
    }

    /** No configuration file. */
    static ConfigFile empty() {
        return new ConfigFile(null, Map.of(), Map.of(), Map.of(), Defaults.NONE);
    }

    DatabaseEntry database(String name) {
        DatabaseEntry e = databases.get(name);
        if (e == null) {
            throw new UsageException(missing("database", name, databases.keySet()));
        }
        return e;
    }

    RepositoryEntry repository(String name) {
        RepositoryEntry e = repositories.get(name);
        if (e == null) {
            throw new UsageException(missing("repository", name, repositories.keySet()));
        }
        return e;
    }

    KeyEntry key(String name) {
        KeyEntry e = keys.get(name);
        if (e == null) {
            throw new UsageException(missing("key", name, keys.keySet()));
        }
        return e;
    }

    private String missing(String what, String name, Set<String> known) {
        if (source == null) {
            return "no " + what + " named '" + name + "': give a configuration file with --config FILE (or"
                    + " DBBACKUP_CONFIG)";
        }
        return "no " + what + " named '" + name + "' in " + source + (known.isEmpty() ? ": it defines none"
                : ": it defines " + String.join(", ", known));
    }

    /**
     * Reads a configuration file.
     *
     * @throws UsageException naming the file, the entry and the field for every problem
     */
    static ConfigFile load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UsageException("configuration file " + file + " does not exist");
        } catch (IOException e) {
            throw new UsageException("configuration file " + file + " cannot be read: " + e.getMessage());
        }
        JsonNode root;
        try {
            YAMLMapper mapper = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
            root = mapper.readTree(bytes);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw new UsageException("configuration file " + file + " is not valid YAML" + where + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new UsageException("configuration file " + file + " cannot be read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new ConfigFile(file, Map.of(), Map.of(), Map.of(), Defaults.NONE);
        }
        return new Reader(file).read(root);
    }

    /** Turns the YAML tree into entries, with messages that name the place of each problem. */
    private static final class Reader {
        private final Path file;
        private final Path base;

        Reader(Path file) {
            this.file = file;
            Path parent = file.toAbsolutePath().getParent();
            this.base = parent == null ? Path.of("/") : parent;
        }

        ConfigFile read(JsonNode root) {
            Fields top = fields(root, "the top level", Set.of("databases", "repositories", "keys", "defaults"));
            Map<String, DatabaseEntry> databases = new LinkedHashMap<>();
            for (Fields f : entries(top.node("databases"), "databases", Set.of("name", "type", "host", "port",
                    "database", "user", "passwordFile", "passwordEnv", "set"))) {
                String name = f.name();
                if (databases.put(name, new DatabaseEntry(name, f.text("type"), f.text("host"), f.integer("port"),
                        f.text("database"), f.text("user"), f.path("passwordFile"), f.envName("passwordEnv"),
                        f.text("set"))) != null) {
                    throw f.error("name", "is defined twice");
                }
            }
            Map<String, RepositoryEntry> repositories = new LinkedHashMap<>();
            for (Fields f : entries(top.node("repositories"), "repositories", Set.of("name", "uri", "region",
                    "endpoint", "pathStyle", "storageClass", "sse", "kmsKeyId", "objectLockMode", "objectLockDays",
                    "partSizeMiB", "accessKeyIdEnv", "secretAccessKeyEnv", "sessionTokenEnv", "tiers"))) {
                String name = f.name();
                String uri = f.text("uri");
                if (uri == null) {
                    throw f.error("uri", "is missing: give file:///absolute/path or s3://bucket/prefix");
                }
                if (repositories.put(name, new RepositoryEntry(name, uri, f.text("region"), f.text("endpoint"),
                        f.bool("pathStyle"), f.text("storageClass"), f.text("sse"), f.text("kmsKeyId"),
                        f.text("objectLockMode"), f.integer("objectLockDays"), f.integer("partSizeMiB"),
                        f.envName("accessKeyIdEnv"), f.envName("secretAccessKeyEnv"),
                        f.envName("sessionTokenEnv"), f.tiers("tiers"))) != null) {
                    throw f.error("name", "is defined twice");
                }
            }
            Map<String, KeyEntry> keys = new LinkedHashMap<>();
            for (Fields f : entries(top.node("keys"), "keys", Set.of("name", "publicKeyFile", "secretKeyFile",
                    "keyPassphraseFile", "keyPassphraseEnv", "passphraseFile", "passphraseEnv"))) {
                String name = f.name();
                KeyEntry key = new KeyEntry(name, f.path("publicKeyFile"), f.path("secretKeyFile"),
                        f.path("keyPassphraseFile"), f.envName("keyPassphraseEnv"), f.path("passphraseFile"),
                        f.envName("passphraseEnv"));
                if (key.publicKeyFile() == null && key.secretKeyFile() == null && key.passphraseFile() == null
                        && key.passphraseEnv() == null) {
                    throw f.error("publicKeyFile", "is missing: a key names a publicKeyFile, a secretKeyFile, or a"
                            + " passphraseFile/passphraseEnv");
                }
                if (keys.put(name, key) != null) {
                    throw f.error("name", "is defined twice");
                }
            }
            Defaults defaults = Defaults.NONE;
            JsonNode d = top.node("defaults");
            if (d != null && !d.isNull()) {
                Fields f = fields(d, "defaults", Set.of("database", "repository", "keys", "retention"));
                defaults = new Defaults(f.text("database"), f.text("repository"), f.textList("keys"),
                        f.textMap("retention"));
                check(defaults.database(), databases.keySet(), "defaults.database", "databases");
                check(defaults.repository(), repositories.keySet(), "defaults.repository", "repositories");
                for (String k : defaults.keys()) {
                    check(k, keys.keySet(), "defaults.keys", "keys");
                }
            }
            return new ConfigFile(file, Map.copyOf(databases), Map.copyOf(repositories), Map.copyOf(keys),
                    defaults);
        }

        private void check(String name, Set<String> known, String field, String section) {
            if (name != null && !known.contains(name)) {
                throw new UsageException("configuration file " + file + ": " + field + " names '" + name
                        + "', which is not among the " + section + (known.isEmpty() ? " (there are none)"
                        : " (" + String.join(", ", known) + ")"));
            }
        }

        private List<Fields> entries(JsonNode list, String section, Set<String> allowed) {
            List<Fields> result = new ArrayList<>();
            if (list == null || list.isNull()) {
                return result;
            }
            if (!list.isArray()) {
                throw new UsageException("configuration file " + file + ": " + section
                        + " must be a list of entries, each with a name");
            }
            int i = 0;
            for (JsonNode entry : list) {
                result.add(fields(entry, section + "[" + i++ + "]", allowed));
            }
            return result;
        }

        private Fields fields(JsonNode node, String where, Set<String> allowed) {
            if (!node.isObject()) {
                throw new UsageException("configuration file " + file + ": " + where + " must be a mapping of"
                        + " fields");
            }
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                String instead = INLINE_SECRETS.get(name);
                if (instead != null) {
                    throw new UsageException("configuration file " + file + ": " + where + "." + name
                            + " would hold a secret inline, which is refused (config files get copied and"
                            + " shown): use " + instead);
                }
                if (!allowed.contains(name)) {
                    throw new UsageException("configuration file " + file + ": " + where + "." + name
                            + " is not a known field; known: " + String.join(", ", allowed.stream().sorted().toList()));
                }
            }
            return new Fields(node, where);
        }

        /** The fields of one mapping. */
        private final class Fields {
            private final JsonNode node;
            private String where;

            Fields(JsonNode node, String where) {
                this.node = node;
                this.where = where;
            }

            JsonNode node(String field) {
                return node.get(field);
            }

            String name() {
                String name = text("name");
                if (name == null || name.isBlank()) {
                    throw error("name", "is missing: every entry has a name to pick it by");
                }
                where = where.replaceFirst("\\[\\d+]$", "[" + name + "]");
                return name;
            }

            String text(String field) {
                JsonNode v = node.get(field);
                if (v == null || v.isNull()) {
                    return null;
                }
                if (!v.isValueNode()) {
                    throw error(field, "must be a single value");
                }
                String s = v.asText().strip();
                return s.isEmpty() ? null : s;
            }

            Integer integer(String field) {
                JsonNode v = node.get(field);
                if (v == null || v.isNull()) {
                    return null;
                }
                if (!v.canConvertToInt() || !v.isIntegralNumber()) {
                    throw error(field, "must be a whole number");
                }
                return v.intValue();
            }

            Boolean bool(String field) {
                JsonNode v = node.get(field);
                if (v == null || v.isNull()) {
                    return null;
                }
                if (!v.isBoolean()) {
                    throw error(field, "must be true or false");
                }
                return v.booleanValue();
            }

            Path path(String field) {
                String s = text(field);
                return s == null ? null : base.resolve(s).normalize();
            }

            String envName(String field) {
                String s = text(field);
                if (s != null && !s.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw error(field, "must name an environment variable (letters, digits, '_'), not hold a"
                            + " value");
                }
                return s;
            }

            List<String> textList(String field) {
                JsonNode v = node.get(field);
                if (v == null || v.isNull()) {
                    return List.of();
                }
                if (v.isValueNode()) {
                    return List.of(v.asText().strip());
                }
                List<String> list = new ArrayList<>();
                for (JsonNode item : v) {
                    if (!item.isValueNode()) {
                        throw error(field, "must be a list of names");
                    }
                    list.add(item.asText().strip());
                }
                return List.copyOf(list);
            }

            Map<String, String> textMap(String field) {
                JsonNode v = node.get(field);
                if (v == null || v.isNull()) {
                    return Map.of();
                }
                if (!v.isObject()) {
                    throw error(field, "must be a mapping such as {keepDaily: 7, keepWeekly: 4}");
                }
                Map<String, String> map = new LinkedHashMap<>();
                v.fields().forEachRemaining(e -> {
                    if (!e.getValue().isValueNode()) {
                        throw error(field + "." + e.getKey(), "must be a single value");
                    }
                    map.put(e.getKey(), e.getValue().asText());
                });
                return map;
            }

            /** {@code tiers: {daily: "8d", monthly: "STANDARD_IA, 400d"}}. */
            io.jenkins.plugins.dbbackup.engine.retention.TierSettings tiers(String field) {
                Map<String, String> map = textMap(field);
                if (map.isEmpty()) {
                    return null;
                }
                StringBuilder text = new StringBuilder();
                map.forEach((tier, value) -> text.append(tier).append(": ").append(value).append('\n'));
                try {
                    return io.jenkins.plugins.dbbackup.engine.retention.TierSettings.parse(text.toString());
                } catch (IllegalArgumentException e) {
                    throw error(field, "is not valid: " + e.getMessage());
                }
            }

            UsageException error(String field, String problem) {
                return new UsageException("configuration file " + file + ": " + where + "." + field + " "
                        + problem);
            }
        }
    }
}
