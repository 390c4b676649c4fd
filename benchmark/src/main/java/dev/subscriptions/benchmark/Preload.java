package dev.subscriptions.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Fills the three databases with customers that have 3 subscriptions and 3 grants per
 * subscription, in an organization of their own, written by SQL rather than through the
 * API (which would take hours for 100,000 customers on the measured machine).
 * <p>
 * One template customer is made through the API and propagated as usual; its rows are
 * then copied {@code N} times in each database ({@code generate_series}), every column as
 * the services wrote it but the ids: customer-service's {@code customer} (with its own
 * email, so the live-email index holds), subscription-service's replica of the customer
 * and its {@code subscription} rows, benefit-service's {@code subscription_state} and
 * {@code benefit_grant} rows. The ids are derived from a seed and the copy's number
 * ({@code md5(...)::uuid}), so that the three databases agree on them without sharing a
 * table. Each copy also gets the inbox rows its events would have left: one
 * {@code CustomerCreated} in subscription-service, as many subscription events in
 * benefit-service as the template's subscriptions' last sequence numbers add up to. Then
 * every table written is vacuumed and analyzed, as autovacuum would have done long before
 * a real organization grew this large.
 */
final class Preload {

	private final Rest rest;

	private final Database customers;

	private final Database subscriptions;

	private final Database benefits;

	Preload(Rest rest, Database customers, Database subscriptions, Database benefits) {
		this.rest = rest;
		this.customers = customers;
		this.subscriptions = subscriptions;
		this.benefits = benefits;
	}

	/** Writes {@code count} customers of a new organization. */
	void customers(int count) throws Exception {
		String organization = UUID.randomUUID().toString();
		String product = UUID.randomUUID().toString();
		List<String> benefitIds = new ArrayList<>();
		for (String key : List.of("reports", "api-access", "community")) {
			benefitIds.add(this.rest.createBenefit(organization, key));
		}
		this.rest.mapProduct(organization, product, benefitIds);
		String template = this.rest.createCustomer(organization, "preload-template@example.com");
		for (int s = 0; s < 3; s++) {
			this.rest.subscribe(organization, template, product);
		}
		Benchmark.await(Duration.ofSeconds(60), Duration.ofMillis(50),
				() -> this.benefits.count(
						"select count(*) from benefit_grant where customer_id = ?::uuid and revoked_at is null",
						template) == 9);
		String seed = UUID.randomUUID().toString();
		Benchmark
			.log("preload: copying a customer with 3 subscriptions and 9 grants %,d times by SQL".formatted(count));
		long start = System.nanoTime();
		String customer = "md5('%s:c:' || i)::uuid".formatted(seed);
		String subscription = "md5('%s:s:' || i || ':' || t.k)::uuid".formatted(seed);
		this.customers.execute("""
				insert into customer
				select r.* from customer t, generate_series(1, %d) i,
				     jsonb_populate_record(null::customer, to_jsonb(t) || jsonb_build_object('id', %s,
				         'email', 'preload-' || i || '-%s@example.com')) r
				where t.id = '%s'""".formatted(count, customer, seed.substring(0, 8), template));
		this.subscriptions.execute("""
				insert into customer
				select r.* from customer t, generate_series(1, %d) i,
				     jsonb_populate_record(null::customer, to_jsonb(t) || jsonb_build_object('id', %s)) r
				where t.id = '%s'""".formatted(count, customer, template));
		this.subscriptions.execute("""
				insert into subscription
				select r.* from (select s.*, row_number() over (order by s.id) k from subscription s
				                 where s.customer_id = '%s') t, generate_series(1, %d) i,
				     jsonb_populate_record(null::subscription, to_jsonb(t) || jsonb_build_object('id', %s,
				         'customer_id', %s)) r""".formatted(template, count, subscription, customer));
		this.subscriptions.execute("""
				insert into inbox (consumer, event_id, processed_at)
				select 'subscription-service', gen_random_uuid(), clock_timestamp() from generate_series(1, %d)"""
			.formatted(count));
		this.benefits.execute("""
				insert into subscription_state
				select r.* from (select s.*, row_number() over (order by s.subscription_id) k
				                 from subscription_state s where s.customer_id = '%s') t, generate_series(1, %d) i,
				     jsonb_populate_record(null::subscription_state, to_jsonb(t)
				         || jsonb_build_object('subscription_id', %s, 'customer_id', %s)) r""".formatted(template,
				count, subscription, customer));
		this.benefits.execute("""
				insert into benefit_grant
				select r.* from benefit_grant g
				join (select subscription_id, row_number() over (order by subscription_id) k from subscription_state
				      where customer_id = '%s') t on t.subscription_id = g.subscription_id
				cross join generate_series(1, %d) i
				cross join lateral jsonb_populate_record(null::benefit_grant, to_jsonb(g) || jsonb_build_object(
				         'id', gen_random_uuid(), 'subscription_id', %s, 'customer_id', %s)) r
				where g.customer_id = '%s'""".formatted(template, count, subscription, customer, template));
		this.benefits.execute("""
				insert into inbox (consumer, event_id, processed_at)
				select 'benefit-service', gen_random_uuid(), clock_timestamp()
				from generate_series(1, %d * (select coalesce(sum(last_sequence), 0) from subscription_state
				                              where customer_id = '%s'))""".formatted(count, template));
		this.customers.execute("vacuum analyze customer");
		for (String table : List.of("customer", "subscription", "inbox")) {
			this.subscriptions.execute("vacuum analyze " + table);
		}
		for (String table : List.of("subscription_state", "benefit_grant", "inbox")) {
			this.benefits.execute("vacuum analyze " + table);
		}
		long grants = this.benefits.count("select count(*) from benefit_grant where organization_id = ?::uuid",
				organization);
		Benchmark.log("preload: %,d customers, %,d grants in organization %s, written in %.0f s".formatted(count + 1,
				grants, organization, (System.nanoTime() - start) / 1e9));
		if (grants != 9L * (count + 1)) {
			throw new IllegalStateException("The preload wrote " + grants + " grants, not " + 9L * (count + 1));
		}
	}

}
