package dev.subscriptions.benefitservice.benefit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.subscriptions.benefitservice.BenefitServiceIntegrationTest;

/**
 * Migration V5 gives every product mapping an organization: a database deployed before it
 * keeps its mappings, each now belonging to the organization of its benefit, and from
 * then on a mapping can only name a benefit of its own organization. The database is
 * built up to V4 in a schema of its own, the mappings written as the earlier code wrote
 * them, and then migrated.
 */
@BenefitServiceIntegrationTest
class ProductMappingMigrationIntegrationTests {

	private final String schema = "before_v5_" + UUID.randomUUID().toString().replace("-", "");

	private final UUID organization = UUID.randomUUID();

	private final UUID product = UUID.randomUUID();

	@Autowired
	DataSource dataSource;

	@Autowired
	JdbcClient jdbc;

	@AfterEach
	void dropSchema() {
		this.jdbc.sql("drop schema if exists " + this.schema + " cascade").update();
	}

	@Test
	void ranAtStartUp() {
		assertThat(this.jdbc.sql("select success from flyway_schema_history where version = '5'")
			.query(Boolean.class)
			.single()).isTrue();
	}

	@Test
	void givesEveryMappingTheOrganizationOfItsBenefit() {
		migrate("4");
		UUID first = benefit(this.organization, "reports");
		UUID second = benefit(this.organization, "api");
		UUID other = benefit(UUID.randomUUID(), "api");
		UUID otherProduct = UUID.randomUUID();
		this.jdbc
			.sql("insert into " + this.schema + ".product_benefit (product_id, benefit_id, position) values "
					+ "(?, ?, 0), (?, ?, 1), (?, ?, 0)")
			.params(this.product, first, this.product, second, otherProduct, other)
			.update();

		migrate("5");

		assertThat(this.jdbc
			.sql("select organization_id from " + this.schema
					+ ".product_benefit where product_id = ? order by position")
			.param(this.product)
			.query(UUID.class)
			.list()).containsExactly(this.organization, this.organization);
		assertThat(this.jdbc
			.sql("select b.organization_id = p.organization_id from " + this.schema + ".product_benefit p join "
					+ this.schema + ".benefit b on b.id = p.benefit_id where p.product_id = ?")
			.param(otherProduct)
			.query(Boolean.class)
			.single()).isTrue();
	}

	@Test
	void keepsOneMappingOfAProductPerOrganizationAndBenefitOfThatOrganization() {
		migrate("5");
		UUID ours = benefit(this.organization, "reports");
		UUID otherOrganization = UUID.randomUUID();
		UUID theirs = benefit(otherOrganization, "reports");
		map(this.organization, ours);
		map(otherOrganization, theirs);

		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> map(this.organization, theirs))
			.withMessageContaining("product_benefit_benefit_organization_fkey");
		assertThatExceptionOfType(DataIntegrityViolationException.class).isThrownBy(() -> map(this.organization, ours))
			.withMessageContaining("product_benefit_pkey");
		assertThat(this.jdbc.sql("select organization_id from " + this.schema + ".product_benefit where product_id = ?")
			.param(this.product)
			.query(UUID.class)
			.list()).containsExactlyInAnyOrderElementsOf(List.of(this.organization, otherOrganization));
	}

	private void migrate(String version) {
		Flyway.configure()
			.dataSource(this.dataSource)
			.schemas(this.schema)
			.locations("classpath:db/migration")
			.target(version)
			.load()
			.migrate();
	}

	private UUID benefit(UUID organization, String key) {
		UUID id = UUID.randomUUID();
		this.jdbc
			.sql("insert into " + this.schema + ".benefit (id, organization_id, type, key, created_at, "
					+ "modified_at, version) values (?, ?, 'FEATURE_FLAG', ?, now(), now(), 0)")
			.params(id, organization, key)
			.update();
		return id;
	}

	private void map(UUID organization, UUID benefit) {
		this.jdbc
			.sql("insert into " + this.schema
					+ ".product_benefit (organization_id, product_id, benefit_id, position) values (?, ?, ?, 0)")
			.params(organization, this.product, benefit)
			.update();
	}

}
