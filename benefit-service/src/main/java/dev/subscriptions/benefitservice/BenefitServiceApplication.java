package dev.subscriptions.benefitservice;

import java.time.Clock;

import javax.sql.DataSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * benefit-service: owns benefits and the grants that say what a customer may use now.
 */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties(BenefitServiceSettings.class)
public class BenefitServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(BenefitServiceApplication.class, args);
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	/**
	 * Translates with PostgreSQL's error codes, which Spring's default translation does
	 * not use: a lock wait that exceeds {@code lock_timeout} (SQLSTATE 55P03) then
	 * becomes a {@link org.springframework.dao.CannotAcquireLockException}, a transient
	 * failure that a consumer retries, instead of an uncategorized one that it would
	 * dead-letter. Boot's {@code JdbcTemplate}, and so everything built on it, uses this
	 * translator.
	 */
	@Bean
	SQLExceptionTranslator sqlExceptionTranslator(DataSource dataSource) {
		return new SQLErrorCodeSQLExceptionTranslator(dataSource);
	}

}
