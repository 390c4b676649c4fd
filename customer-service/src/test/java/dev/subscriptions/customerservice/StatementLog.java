package dev.subscriptions.customerservice;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The statements the calling thread sends to the application's database while it runs
 * some work: each statement it prepares (its SQL, once however often it is executed) and
 * each commit, so a test counts the round trips of a transaction without timing anything.
 * It wraps the application's {@link DataSource}; other threads (listeners, the relay, the
 * web server) are not recorded.
 */
public class StatementLog implements BeanPostProcessor {

	/** What a commit is recorded as. */
	public static final String COMMIT = "commit";

	private static final Set<String> PREPARING = Set.of("prepareStatement", "prepareCall");

	private final ThreadLocal<@Nullable List<String>> recording = new ThreadLocal<>();

	/** The statements and commits of {@code work}, in the order it sent them. */
	public List<String> of(Runnable work) {
		List<String> statements = new ArrayList<>();
		this.recording.set(statements);
		try {
			work.run();
		}
		finally {
			this.recording.remove();
		}
		return statements;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof DataSource dataSource && !(bean instanceof Recording)) {
			return new Recording(dataSource);
		}
		return bean;
	}

	private void record(String statement) {
		List<String> statements = this.recording.get();
		if (statements != null) {
			statements.add(statement);
		}
	}

	private final class Recording extends DelegatingDataSource {

		Recording(DataSource target) {
			super(target);
		}

		@Override
		public Connection getConnection() throws SQLException {
			return recorded(super.getConnection());
		}

		@Override
		public Connection getConnection(String username, String password) throws SQLException {
			return recorded(super.getConnection(username, password));
		}

		private Connection recorded(Connection connection) {
			InvocationHandler handler = (proxy, method, args) -> {
				record(method, args);
				try {
					return method.invoke(connection, args);
				}
				catch (InvocationTargetException ex) {
					throw ex.getTargetException();
				}
			};
			return (Connection) Proxy.newProxyInstance(StatementLog.class.getClassLoader(),
					new Class<?>[] { Connection.class }, handler);
		}

		private void record(Method method, Object @Nullable [] args) {
			if (PREPARING.contains(method.getName()) && args != null && args[0] instanceof String sql) {
				StatementLog.this.record(sql);
			}
			else if (method.getName().equals("createStatement")) {
				StatementLog.this.record("<statement>");
			}
			else if (method.getName().equals(COMMIT)) {
				StatementLog.this.record(COMMIT);
			}
		}

	}

}
