package dev.subscriptions.benefitservice.grant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import dev.subscriptions.benefitservice.BenefitServiceIntegrationTest;

/**
 * The queries by customer and by subscription read their index whatever the size of the
 * table, in the generic plan too (which the driver's server-prepared statements get after
 * a few executions, and which cannot use an index behind {@code ? is null or}). Plan
 * shape, not time: in a transaction rolled back afterwards, with 5,000 grants of other
 * customers analyzed, each query is prepared, planned generic
 * ({@code plan_cache_mode = force_generic_plan}) with sequential scans priced out, and
 * its plan read by {@code explain execute}.
 */
@BenefitServiceIntegrationTest
class GrantQueryPlanIntegrationTests {

	private static final Pattern NAMED = Pattern.compile("(?<!:):(\\w+)");

	private static final String CUSTOMER = "'00000000-0000-0000-0000-000000000001'";

	private static final String ORGANIZATION = "'00000000-0000-0000-0000-000000000002'";

	private static final String CUSTOMERS = "'{00000000-0000-0000-0000-000000000001}'";

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Test
	void readsTheGrantsOfACustomerThroughTheCustomerIndex() {
		assertThat(genericPlan(positional(Grants.OF_CUSTOMER), "uuid, uuid, varchar",
				CUSTOMER + ", " + ORGANIZATION + ", 'revoked'"))
			.contains("benefit_grant_customer_idx", "Index Cond: (customer_id = $1)")
			.doesNotContain("Seq Scan");
	}

	@Test
	void readsTheGrantsOfASubscriptionThroughTheSubscriptionIndex() {
		assertThat(genericPlan(positional(Grants.OF_SUBSCRIPTION), "uuid, uuid, varchar",
				CUSTOMER + ", " + ORGANIZATION + ", null"))
			.contains("benefit_grant_subscription_idx", "Index Cond: (subscription_id = $1)")
			.doesNotContain("Seq Scan");
	}

	@Test
	void revokesAndCountsTheGrantsOfDeletedCustomersThroughTheCustomerIndex() {
		String plan = genericPlan(numbered(GrantManagement.REVOKE_AND_COUNT),
				"timestamptz, varchar, uuid[], varchar, uuid[]",
				"now(), 'customer_deleted', " + CUSTOMERS + ", 'customer_deleted', " + CUSTOMERS);
		assertThat(plan).doesNotContain("Seq Scan on benefit_grant");
		assertThat(Pattern.compile("(Index (Only )?Scan using|Bitmap Index Scan on) benefit_grant_customer_idx")
			.matcher(plan)
			.results()).as(plan).hasSize(2);
	}

	private String genericPlan(String sql, String types, String values) {
		return this.transactions.execute(status -> {
			UUID benefit = UUID.randomUUID();
			this.jdbc.update("""
					insert into benefit (id, organization_id, type, key, created_at, modified_at, version)
					values (?, ?, 'CUSTOM', 'plan-shape', now(), now(), 0)""", benefit, UUID.randomUUID());
			this.jdbc.update(
					"""
							insert into benefit_grant (id, organization_id, customer_id, subscription_id, benefit_id, granted_at,
							                           revoked_at, revocation_reason, version)
							select gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), ?, now(),
							       case when n % 2 = 0 then now() end, case when n % 2 = 0 then 'customer_deleted' end, 0
							  from generate_series(1, 5000) n""",
					benefit);
			this.jdbc.execute("analyze benefit_grant");
			status.setRollbackOnly();
			this.jdbc.execute("set local enable_seqscan = off");
			this.jdbc.execute("set local plan_cache_mode = force_generic_plan");
			this.jdbc.execute("prepare plan_shape (" + types + ") as " + sql);
			try {
				List<String> lines = this.jdbc.queryForList("explain execute plan_shape (" + values + ")",
						String.class);
				return String.join("\n", lines);
			}
			finally {
				this.jdbc.execute("deallocate plan_shape");
			}
		});
	}

	/** {@code sql} with its named parameters numbered in the order they first appear. */
	private static String positional(String sql) {
		Map<String, Integer> numbers = new LinkedHashMap<>();
		Matcher named = NAMED.matcher(sql);
		return named.replaceAll(match -> "\\$" + numbers.computeIfAbsent(match.group(1), name -> numbers.size() + 1));
	}

	/** {@code sql} with its {@code ?} parameters numbered. */
	private static String numbered(String sql) {
		int[] number = { 0 };
		return Pattern.compile("\\?").matcher(sql).replaceAll(match -> "\\$" + ++number[0]);
	}

}
