package io.jenkins.plugins.dbbackup.testsupport;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that injects the JVM-wide shared servers into test constructors,
 * {@code @BeforeAll}/{@code @BeforeEach} methods and test methods by parameter type:
 *
 * <pre>{@code
 * @ExtendWith(ThrowawayServers.class)
 * class PostgresBackupTest {
 *     @Test
 *     void backsUp(PostgresServer postgres) {
 *         postgres.createDatabase("orders_" + UUID.randomUUID().toString().replace("-", ""));
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>Supported types: {@link PostgresServer}, {@link MariaDbServer}, {@link RedisServer}. Each is
 * started on first use and shared by every test of the JVM (one per JVM run, not per test); the
 * extension never closes them, the JVM's exit does. Tests must therefore not kill or stop them
 * (those calls are refused) and should use unique database names. For fault tests, start a
 * dedicated server with {@code start()} and close it.
 *
 * <p>A server that cannot start fails the test with the reason (a missing Debian package, the tail
 * of the server log); it is never skipped.
 */
public final class ThrowawayServers implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        Class<?> type = parameter.getParameter().getType();
        return type == PostgresServer.class || type == MariaDbServer.class || type == RedisServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        Class<?> type = parameter.getParameter().getType();
        if (type == PostgresServer.class) {
            return PostgresServer.shared();
        }
        if (type == MariaDbServer.class) {
            return MariaDbServer.shared();
        }
        if (type == RedisServer.class) {
            return RedisServer.shared();
        }
        throw new ParameterResolutionException("unsupported parameter type " + type.getName());
    }
}
