package dev.subscriptions.benefitservice;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Records the SQL of every statement that the application's connections send, on the
 * thread that {@link #record() records}: each prepared statement (a JDBC batch is one)
 * and each plain statement's execution. Installed around the {@link DataSource} bean by
 * {@link BenefitServiceIntegrationTest}, so a test counts the round trips of the code it
 * calls, not their time.
 */
public class StatementLog implements BeanPostProcessor {

	private static final Set<String> PREPARING = Set.of("prepareStatement", "prepareCall");

	private static final Set<String> EXECUTING = Set.of("execute", "executeQuery", "executeUpdate",
			"executeLargeUpdate", "addBatch");

	private final ThreadLocal<@Nullable List<String>> recording = new ThreadLocal<>();

	/** Records the statements of the current thread from now on, into a new list. */
	public List<String> record() {
		List<String> statements = new ArrayList<>();
		this.recording.set(statements);
		return statements;
	}

	/** Stops recording on the current thread. */
	public void stop() {
		this.recording.remove();
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		return (bean instanceof DataSource dataSource && !(bean instanceof LoggingDataSource))
				? new LoggingDataSource(dataSource) : bean;
	}

	private void log(String sql) {
		List<String> statements = this.recording.get();
		if (statements != null) {
			statements.add(sql);
		}
	}

	private <T> T proxy(Class<T> type, InvocationHandler handler) {
		return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { type }, handler));
	}

	private static @Nullable Object invoke(Object target, java.lang.reflect.Method method, @Nullable Object[] args)
			throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

	private Connection logging(Connection connection) {
		return proxy(Connection.class, (proxy, method, args) -> {
			if (PREPARING.contains(method.getName()) && args != null && args.length > 0) {
				log((String) args[0]);
			}
			Object result = invoke(connection, method, args);
			if (method.getName().equals("createStatement")) {
				Statement statement = (Statement) result;
				return proxy(Statement.class, (statementProxy, statementMethod, statementArgs) -> {
					if (EXECUTING.contains(statementMethod.getName()) && statementArgs != null
							&& statementArgs.length > 0 && statementArgs[0] instanceof String sql) {
						log(sql);
					}
					return invoke(statement, statementMethod, statementArgs);
				});
			}
			return result;
		});
	}

	/** The application's data source, logging. */
	private final class LoggingDataSource extends DelegatingDataSource {

		LoggingDataSource(DataSource target) {
			super(target);
		}

		@Override
		public Connection getConnection() throws SQLException {
			return logging(super.getConnection());
		}

		@Override
		public Connection getConnection(String username, String password) throws SQLException {
			return logging(super.getConnection(username, password));
		}

	}

}
