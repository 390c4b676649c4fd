package dev.subscriptions.subscriptionservice.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import dev.subscriptions.subscriptionservice.SubscriptionServiceIntegrationTest;
import dev.subscriptions.subscriptionservice.customer.KnownCustomers;

/**
 * The set-wise revocation of deleted customers' subscriptions ({@link Revocations})
 * changes the rows exactly as {@link Subscription#revoke} and saving the aggregate do,
 * and records the same {@link SubscriptionEvent.Ended}; the reads of a customer's
 * subscriptions and the revocation use an index in every plan, generic ones included.
 */
@SubscriptionServiceIntegrationTest
class RevocationsIntegrationTests {

	private static final Currency EUR = Currency.getInstance("EUR");

	private final UUID organization = UUID.randomUUID();

	private final UUID customer = UUID.randomUUID();

	@Autowired
	SubscriptionManagement management;

	@Autowired
	Subscriptions subscriptions;

	@Autowired
	Revocations revocations;

	@Autowired
	KnownCustomers customers;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void knowTheCustomer() {
		this.customers.recordCreated(new KnownCustomers.Created(this.customer, this.organization, Instant.now()));
	}

	@Test
	void revokesTheRowsOfEveryStateAsTheAggregateDoes() {
		List<UUID> ids = subscriptionsInEveryState();
		Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);

		Revoked byAggregate = rolledBack(() -> {
			List<SubscriptionEvent> events = new java.util.ArrayList<>();
			for (Subscription subscription : this.subscriptions.findLiveByCustomerIdForUpdate(this.customer)) {
				subscription.revoke(EndReason.CUSTOMER_DELETED, Clock.fixed(at, ZoneOffset.UTC));
				events.addAll(subscription.recordedEvents());
				this.subscriptions.save(subscription);
			}
			return new Revoked(rows(ids), events);
		});
		Revoked setWise = rolledBack(() -> {
			List<SubscriptionEvent.Ended> ended = this.revocations.revokeAllOfDeletedCustomers(List.of(this.customer),
					at);
			return new Revoked(rows(ids), List.copyOf(ended));
		});

		assertThat(setWise.rows()).isEqualTo(byAggregate.rows());
		assertThat(byAggregate.events()).hasSize(5);
		assertThat(setWise.events()).usingRecursiveFieldByFieldElementComparatorIgnoringFields("header.eventId")
			.containsExactlyElementsOf(byAggregate.events());
		assertThat(setWise.events()).extracting(event -> event.header().eventId()).doesNotHaveDuplicates();
	}

	@Test
	void revokesTheLiveSubscriptionsOfEveryCustomerNamedAndNoOneElses() {
		UUID other = UUID.randomUUID();
		UUID untouched = UUID.randomUUID();
		this.customers.recordCreated(List.of(new KnownCustomers.Created(other, this.organization, Instant.now()),
				new KnownCustomers.Created(untouched, this.organization, Instant.now())));
		UUID first = subscribe(this.customer);
		UUID second = subscribe(other);
		UUID third = subscribe(this.customer);
		UUID kept = subscribe(untouched);

		List<SubscriptionEvent.Ended> ended = this.transactions
			.execute(status -> this.management.revokeAllOfDeletedCustomers(List.of(other, this.customer)));

		assertThat(ended).extracting(event -> event.header().subscriptionId()).containsExactly(second, first, third);
		assertThat(ended)
			.allSatisfy(event -> assertThat(event).returns(EndReason.CUSTOMER_DELETED, SubscriptionEvent.Ended::reason)
				.returns(2L, revoked -> revoked.header().sequence()));
		assertThat(List.of(first, second, third)).extracting(this.subscriptions::findById)
			.allSatisfy(subscription -> assertThat(subscription).get()
				.returns(SubscriptionStatus.REVOKED, Subscription::getStatus)
				.returns("customer_deleted", Subscription::getRevokedReason));
		assertThat(this.subscriptions.findById(kept)).get().returns(SubscriptionStatus.ACTIVE, Subscription::getStatus);
		List<SubscriptionEvent.Ended> again = this.transactions
			.execute(status -> this.management.revokeAllOfDeletedCustomers(List.of(other, this.customer)));
		assertThat(again).isEmpty();
	}

	@Test
	void readsTheSubscriptionsOfACustomerInEveryStateThroughTheCustomerIndexInAGenericPlan() throws Exception {
		assertThat(genericPlan(query("findByOrganizationIdAndCustomerId", UUID.class, UUID.class)))
			.contains("\"Index Name\": \"subscription_customer_idx\"");
		assertThat(
				genericPlan(query("findByOrganizationIdAndCustomerIdAndStatus", UUID.class, UUID.class, String.class)))
			.contains("\"Index Name\": \"subscription_customer_idx\"");
	}

	@Test
	void revokesThroughTheLiveCustomerIndexInAGenericPlan() {
		assertThat(genericPlan(Revocations.REVOKE_ALL_OF_CUSTOMERS))
			.contains("\"Index Name\": \"subscription_customer_live_idx\"");
	}

	/**
	 * A trialing, an active, an overdue, a paused and a canceled-at-period-end one (whose
	 * {@code modified_at} lies ahead, so that it must not move back), and two ended ones
	 * (canceled, revoked), which stay as they are.
	 */
	private List<UUID> subscriptionsInEveryState() {
		UUID trialing = this.management.create(this.organization, this.customer, UUID.randomUUID(), 999, EUR, 14)
			.getId();
		UUID active = subscribe(this.customer);
		UUID overdue = this.management.paymentFailed(this.organization, subscribe(this.customer)).getId();
		UUID paused = this.management.pause(this.organization, subscribe(this.customer), PauseMode.FREE).getId();
		UUID cancelingLater = this.management
			.cancelAtPeriodEnd(this.organization, subscribe(this.customer), "too_expensive", "later")
			.getId();
		this.jdbc.update("update subscription set modified_at = now() + interval '1 day' where id = ?", cancelingLater);
		UUID canceled = this.management.cancelImmediately(this.organization, subscribe(this.customer), null, null)
			.getId();
		UUID revoked = this.management.revoke(this.organization, subscribe(this.customer)).getId();
		return List.of(trialing, active, overdue, paused, cancelingLater, canceled, revoked);
	}

	private UUID subscribe(UUID customer) {
		return this.management.create(this.organization, customer, UUID.randomUUID(), 999, EUR, 0).getId();
	}

	private Map<UUID, Map<String, Object>> rows(List<UUID> ids) {
		return this.jdbc.queryForList("select * from subscription where id = any(?)", (Object) ids.toArray(UUID[]::new))
			.stream()
			.collect(Collectors.toMap(row -> (UUID) row.get("id"), row -> row));
	}

	private <T> T rolledBack(Supplier<T> work) {
		return this.transactions.execute(status -> {
			status.setRollbackOnly();
			return work.get();
		});
	}

	private static String query(String method, Class<?>... parameters) throws NoSuchMethodException {
		return Subscriptions.class.getMethod(method, parameters).getAnnotation(Query.class).value();
	}

	/**
	 * The plan PostgreSQL makes for {@code sql} whatever its parameters (named or
	 * positional, numbered in order), as for a server-prepared statement after its fifth
	 * execution (a generic plan), with sequential scans priced out so that a small table
	 * does not hide a missing index. {@code explain (generic_plan)} would do, but pgjdbc
	 * binds every statement, and a statement with parameters cannot be bound without
	 * values.
	 */
	private String genericPlan(String sql) {
		int[] parameters = { 0 };
		String numbered = Pattern.compile("(?<!:):[a-zA-Z]+|\\?")
			.matcher(sql)
			.replaceAll(match -> "\\$" + (++parameters[0]));
		String name = "plan_" + UUID.randomUUID().toString().replace("-", "");
		return this.transactions.execute(status -> {
			this.jdbc.execute("set local enable_seqscan = off");
			this.jdbc.execute("set local plan_cache_mode = force_generic_plan");
			this.jdbc.execute("prepare " + name + " as " + numbered);
			try {
				return String.join("\n",
						this.jdbc.queryForList(
								"explain (format json) execute " + name + "("
										+ String.join(", ", Collections.nCopies(parameters[0], "null")) + ")",
								String.class));
			}
			finally {
				this.jdbc.execute("deallocate " + name);
			}
		});
	}

	private record Revoked(Map<UUID, Map<String, Object>> rows, List<SubscriptionEvent> events) {
	}

}
