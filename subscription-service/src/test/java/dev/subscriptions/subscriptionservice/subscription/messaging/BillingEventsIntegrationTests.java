package dev.subscriptions.subscriptionservice.subscription.messaging;

import static dev.subscriptions.web.test.ApiResponses.call;
import static dev.subscriptions.web.test.ApiResponses.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.subscriptions.eventing.consumer.DeadLetters;
import dev.subscriptions.eventing.outbox.Outbox;
import dev.subscriptions.eventing.serde.ConfluentAvroSerializer;
import dev.subscriptions.eventing.serde.WireFormat;
import dev.subscriptions.eventing.test.EventTopics;
import dev.subscriptions.events.billing.BillingInvoice;
import dev.subscriptions.events.billing.BillingSubscriptionChanged;
import dev.subscriptions.events.subscription.SubscriptionCreated;
import dev.subscriptions.events.subscription.SubscriptionEnded;
import dev.subscriptions.events.subscription.SubscriptionPastDue;
import dev.subscriptions.events.subscription.SubscriptionPaused;
import dev.subscriptions.schemas.Topic;
import dev.subscriptions.schemas.fixtures.BillingFixture;
import dev.subscriptions.subscriptionservice.SubscriptionServiceIntegrationTest;
import dev.subscriptions.subscriptionservice.customer.KnownCustomers;
import dev.subscriptions.subscriptionservice.subscription.BillingSubscriptionUnknown;
import dev.subscriptions.subscriptionservice.subscription.CustomerUnknown;
import dev.subscriptions.subscriptionservice.subscription.Invoice;
import dev.subscriptions.subscriptionservice.subscription.PauseMode;
import dev.subscriptions.subscriptionservice.subscription.Subscription;
import dev.subscriptions.subscriptionservice.subscription.SubscriptionEvent;
import dev.subscriptions.subscriptionservice.subscription.SubscriptionManagement;
import dev.subscriptions.subscriptionservice.subscription.SubscriptionStatus;
import dev.subscriptions.web.security.ApiScopes;
import dev.subscriptions.web.test.TestTokens;

/**
 * subscription-service follows billing.events as another system writes it: records in
 * Confluent's wire format on the real broker, read by the real listener, changing the
 * subscription through its transitions, whose events reach subscription.events. Each test
 * has a billing provider of its own name, so that its {@code billing.changes} counters
 * are its own.
 */
@SubscriptionServiceIntegrationTest
class BillingEventsIntegrationTests {

	private static final String TOPIC = Topic.BILLING_EVENTS.topicName();

	private static final String DEAD_LETTERS = TOPIC + ".subscription-service.DLT";

	private static final long IN_ORDER = 0;

	private static final long NEWEST_FIRST = -1;

	/** The deliveries of a life: in order, newest first, and a few fixed shuffles. */
	private static final List<Long> SEEDS = List.of(IN_ORDER, NEWEST_FIRST, 3L, 7L, 42L, 2026L);

	private final UUID organization = UUID.randomUUID();

	private final String provider = "billing_system_" + UUID.randomUUID().toString().substring(0, 8);

	@Value("${spring.kafka.bootstrap-servers}")
	String bootstrapServers;

	@Value("${eventing.schema-registry.url}")
	String registryUrl;

	@Autowired
	EventTopics topics;

	@Autowired
	SubscriptionManagement subscriptions;

	@Autowired
	KnownCustomers customers;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	Outbox outbox;

	@Autowired
	MeterRegistry meters;

	@Autowired
	RestTestClient server;

	/**
	 * The producer is configured as another system's would be, with the registry's
	 * address and no registration of its own: the service registered the schema at
	 * start-up.
	 */
	@Test
	void createsTheSubscriptionFromARecordAnotherSystemProducedAndPausesItAsTheSnapshotSays() throws Exception {
		BillingFixture billing = billingOfKnownCustomer();
		BillingSubscriptionChanged active = billing.active().build();
		BillingSubscriptionChanged paused = billing.paused().build();

		try (KafkaProducer<String, Object> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers,
						ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
						ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ConfluentAvroSerializer.class.getName(),
						WireFormat.SCHEMA_REGISTRY_URL, this.registryUrl, WireFormat.VALUE_SUBJECT_NAME_STRATEGY,
						WireFormat.TOPIC_RECORD_NAME_STRATEGY, WireFormat.AUTO_REGISTER_SCHEMAS, "false"))) {
			producer.send(new ProducerRecord<>(TOPIC, billing.key(), active)).get(60, TimeUnit.SECONDS);
			producer.send(new ProducerRecord<>(TOPIC, billing.key(), paused)).get(60, TimeUnit.SECONDS);
		}

		awaitHandled(active, paused);
		Subscription subscription = subscriptionOf(billing).orElseThrow();
		assertThat(subscription).returns(SubscriptionStatus.PAUSED, Subscription::getStatus)
			.returns(PauseMode.VOID, s -> s.getPause().mode())
			.returns(billing.customerId(), Subscription::getCustomerId)
			.returns(billing.productId(), Subscription::getProductId)
			.returns(this.organization, Subscription::getOrganizationId);
		List<SpecificRecord> events = await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> eventsOf(subscription), published -> published.size() >= 2);
		assertThat(events).extracting(SpecificRecord::getSchema)
			.containsExactly(SubscriptionCreated.getClassSchema(), SubscriptionPaused.getClassSchema());
		assertThat(((SubscriptionCreated) events.get(0)).getStatus()).isEqualTo("active");
		assertThat(((SubscriptionPaused) events.get(1)).getMode()).isEqualTo("void");
		assertThat(call(api(), HttpMethod.GET, "/subscriptions/" + subscription.getId(), null).getResponseBody())
			.containsEntry("provider", this.provider)
			.containsEntry("providerSubscriptionId", billing.providerSubscriptionId())
			.containsEntry("status", "paused")
			.containsEntry("pauseMode", "void");
		await().atMost(Duration.ofSeconds(10)).until(() -> count("created") == 1 && count("applied") == 1);
	}

	/**
	 * A life that does not end (its latest snapshot: canceled at period end), delivered
	 * in order, newest first, and in a few fixed shuffles: every delivery ends where the
	 * latest snapshot is, however many of the others came too late to count.
	 */
	@Test
	void endsInTheStateOfTheLatestSnapshotWhateverOrderTheSnapshotsArriveIn() {
		for (long seed : SEEDS) {
			BillingFixture billing = billingOfKnownCustomer();
			List<BillingSubscriptionChanged> life = new ArrayList<>(
					List.of(billing.active().build(), billing.paused().build(), billing.active().build(),
							billing.pastDue().build(), billing.active().build()));
			BillingSubscriptionChanged canceled = billing.canceled().build();
			life.add(canceled);
			life = shuffled(life, seed);

			send(billing, life);

			awaitHandled(life.toArray(BillingSubscriptionChanged[]::new));
			assertThat(subscriptionOf(billing)).as("seed %d: %s", seed, statuses(life))
				.hasValueSatisfying(subscription -> assertThat(subscription)
					.returns(SubscriptionStatus.ACTIVE, Subscription::getStatus)
					.returns(true, Subscription::isCancelAtPeriodEnd)
					.returns(canceled.getEndsAt(), Subscription::getEndsAt)
					.returns(canceled.getCurrentPeriodEnd(), Subscription::getCurrentPeriodEnd)
					.returns(null, Subscription::getPause));
		}
	}

	/**
	 * A whole life (created … paused, unpaused, canceled at period end, expired) in a few
	 * fixed shuffles: it always ends. Where the expiry comes first nothing is created at
	 * all; otherwise the subscription ends as expired. An old unpause replayed afterwards
	 * (a new event id, so no duplicate) changes nothing and publishes nothing.
	 */
	@Test
	void endsAWholeLifeDeliveredInAnyOrderAndIgnoresAnOldUnpauseReplayedAfterTheExpiry() {
		for (long seed : SEEDS) {
			BillingFixture billing = billingOfKnownCustomer();
			BillingSubscriptionChanged unpaused;
			List<BillingSubscriptionChanged> life = new ArrayList<>(
					List.of(billing.active().build(), billing.paused().build(), unpaused = billing.active().build(),
							billing.canceled().build(), billing.expired().build()));
			life = shuffled(life, seed);

			send(billing, life);

			awaitHandled(life.toArray(BillingSubscriptionChanged[]::new));
			boolean expiredFirst = life.get(0).getStatus().equals("expired");
			Optional<Subscription> ended = subscriptionOf(billing);
			if (expiredFirst) {
				assertThat(ended).as("seed %d: %s", seed, statuses(life)).isEmpty();
				continue;
			}
			Subscription subscription = ended.orElseThrow();
			assertThat(subscription.getStatus()).as("seed %d: %s", seed, statuses(life))
				.isEqualTo(SubscriptionStatus.CANCELED);
			List<SpecificRecord> events = awaitAllPublished(subscription);
			assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(SubscriptionEnded.class,
					end -> assertThat(end.getReason()).isEqualTo("expired"));

			BillingSubscriptionChanged replay = BillingSubscriptionChanged.newBuilder(unpaused)
				.setEventId(UUID.randomUUID().toString())
				.build();
			send(billing, List.of(replay));

			awaitHandled(replay);
			assertThat(subscriptionOf(billing).orElseThrow().getEventSequence())
				.isEqualTo(subscription.getEventSequence());
			assertThat(awaitAllPublished(subscription)).hasSameSizeAs(events);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> count("after_end") > 0);
	}

	@Test
	void appliesTheSameEventTwiceOnce() {
		BillingFixture billing = billingOfKnownCustomer();
		BillingSubscriptionChanged active = billing.active().build();
		BillingSubscriptionChanged pastDue = billing.pastDue().build();

		send(billing, List.of(active, pastDue, pastDue));

		awaitHandled(active, pastDue);
		BillingSubscriptionChanged after = billing.active().build();
		send(billing, List.of(after));
		awaitHandled(after);
		await().atMost(Duration.ofSeconds(10)).until(() -> count("applied") == 2);
		assertThat(count("created")).isEqualTo(1);
		assertThat(count("stale")).as("the duplicate, had it been applied").isZero();
		assertThat(this.jdbc.queryForObject(
				"select count(*) from inbox where consumer = 'subscription-service.billing' and event_id = ?::uuid",
				Integer.class, pastDue.getEventId()))
			.isEqualTo(1);
		assertThat(awaitAllPublished(subscriptionOf(billing).orElseThrow()))
			.filteredOn(SubscriptionPastDue.class::isInstance)
			.hasSize(1);
	}

	/**
	 * The provider tells of one payment twice, as two events (an invoice event each, with
	 * ids of their own): the invoice is paid once, when the first said so.
	 */
	@Test
	void paysAnInvoiceThatTwoEventsSayIsPaidOnce() {
		BillingFixture billing = billingOfKnownCustomer();
		BillingSubscriptionChanged active = billing.active().build();
		BillingSubscriptionChanged pastDue = billing.pastDue().build();
		BillingInvoice paid = BillingInvoice.newBuilder(pastDue.getInvoice()).setStatus("paid").build();
		BillingSubscriptionChanged firstPaid = billing.invoicePaid().setInvoice(paid).build();
		BillingSubscriptionChanged secondPaid = billing.invoicePaid().setInvoice(paid).build();

		send(billing, List.of(active, pastDue, firstPaid, secondPaid));

		awaitHandled(pastDue, firstPaid, secondPaid);
		Subscription subscription = subscriptionOf(billing).orElseThrow();
		assertThat(list(api(), "/subscriptions/" + subscription.getId() + "/invoices")).singleElement()
			.satisfies(invoice -> {
				assertThat(invoice).containsEntry("status", "paid")
					.containsEntry("amount", 1999)
					.containsEntry("currency", "EUR");
				assertThat(Instant.parse((String) invoice.get("paidAt"))).isEqualTo(firstPaid.getOccurredAt());
			});
		assertThat(
				this.jdbc.queryForObject("select count(*) from invoice where provider = ? and provider_invoice_id = ?",
						Integer.class, this.provider, paid.getProviderInvoiceId()))
			.isEqualTo(1);
		assertThat(subscription.getStatus()).as("an invoice event changes only its invoice")
			.isEqualTo(SubscriptionStatus.PAST_DUE);
	}

	@Test
	void cancelsAnOverdueSubscriptionThroughTheApiLeavingTheProvidersInvoiceOpen() {
		BillingFixture billing = billingOfKnownCustomer();
		BillingSubscriptionChanged active = billing.active().build();
		BillingSubscriptionChanged pastDue = billing.pastDue().build();

		send(billing, List.of(active, pastDue));

		awaitHandled(pastDue);
		Subscription overdue = subscriptionOf(billing).orElseThrow();
		assertThat(overdue.getStatus()).isEqualTo(SubscriptionStatus.PAST_DUE);
		EntityExchangeResult<Map<String, Object>> canceled = call(api(), HttpMethod.POST,
				"/subscriptions/" + overdue.getId() + "/cancel", Map.of("immediately", true));
		assertThat(canceled.getStatus().value()).isEqualTo(200);
		assertThat(canceled.getResponseBody()).containsEntry("status", "canceled");
		assertThat(list(api(), "/subscriptions/" + overdue.getId() + "/invoices")).singleElement()
			.satisfies(invoice -> {
				assertThat(invoice).containsEntry("status", "open").containsEntry("amount", 1999);
				assertThat(invoice.get("paidAt")).isNull();
			});
		SubscriptionPastDue published = awaitAllPublished(overdue).stream()
			.filter(SubscriptionPastDue.class::isInstance)
			.map(SubscriptionPastDue.class::cast)
			.findFirst()
			.orElseThrow();
		assertThat(published.getGraceOver()).isFalse();
		assertThat(published.getInvoiceId()).isEqualTo(
				this.jdbc.queryForObject("select id::text from invoice where provider = ? and provider_invoice_id = ?",
						String.class, this.provider, pastDue.getInvoice().getProviderInvoiceId()));
	}

	@Test
	void marksAnUnpaidSubscriptionOverdueWithTheGraceOver() {
		BillingFixture billing = billingOfKnownCustomer();
		BillingSubscriptionChanged active = billing.active().build();
		BillingSubscriptionChanged pastDue = billing.pastDue().build();
		BillingSubscriptionChanged unpaid = billing.pastDue().setStatus("unpaid").build();

		send(billing, List.of(active, pastDue, unpaid));

		awaitHandled(unpaid);
		Subscription subscription = subscriptionOf(billing).orElseThrow();
		assertThat(subscription).returns(SubscriptionStatus.PAST_DUE, Subscription::getStatus)
			.returns(true, Subscription::isGraceOver);
		assertThat(awaitAllPublished(subscription)).filteredOn(SubscriptionPastDue.class::isInstance)
			.extracting(event -> ((SubscriptionPastDue) event).getGraceOver())
			.containsExactly(false, true);
	}

	@Test
	void pausesWithAccessKeptWhenTheSnapshotIsPausedFree() {
		BillingFixture billing = billingOfKnownCustomer();
		BillingSubscriptionChanged active = billing.active().build();
		BillingSubscriptionChanged paused = billing.paused().setPauseMode("free").build();

		send(billing, List.of(active, paused));

		awaitHandled(paused);
		Subscription subscription = subscriptionOf(billing).orElseThrow();
		assertThat(subscription.getPause().mode()).isEqualTo(PauseMode.FREE);
		assertThat(awaitAllPublished(subscription)).filteredOn(SubscriptionPaused.class::isInstance)
			.singleElement()
			.satisfies(event -> assertThat(((SubscriptionPaused) event).getMode()).isEqualTo("free"));
	}

	@Test
	void createsNothingForTheLateSnapshotOfADeletedCustomer() {
		BillingFixture billing = billingOfKnownCustomer();
		this.customers.recordDeleted(new KnownCustomers.Deleted(billing.customerId(), this.organization,
				Instant.now().truncatedTo(ChronoUnit.MILLIS)));
		BillingSubscriptionChanged active = billing.active().build();

		send(billing, List.of(active));

		awaitHandled(active);
		await().atMost(Duration.ofSeconds(10)).until(() -> count("customer_deleted") == 1);
		assertThat(subscriptionOf(billing)).isEmpty();
		assertThat(this.subscriptions.findByCustomer(this.organization, billing.customerId(), null)).isEmpty();
		assertThat(count("created")).isZero();
		assertThat(this.topics.values(Topic.SUBSCRIPTION_EVENTS.topicName(), SubscriptionCreated.class))
			.noneMatch(created -> created.getCustomerId().equals(billing.customerId().toString()));
	}

	/**
	 * The good records behind the unknown snapshot have its key, so they are on the same
	 * partition: that they are handled proves that consumption goes on. The invoice event
	 * between them is no dead letter: it waits for the snapshot that creates the
	 * subscription.
	 */
	@Test
	void deadLettersASnapshotOfAnUnknownSubscriptionWithoutOurIdsWithTheReasonAndGoesOn() {
		BillingFixture billing = billingOfKnownCustomer();
		BillingSubscriptionChanged withoutOurIds = billing.active().setCustomerId(null).setProductId(null).build();
		BillingSubscriptionChanged invoiceOnly = billing.invoicePaid().build();
		BillingSubscriptionChanged created = billing.active().build();

		send(billing, List.of(withoutOurIds, invoiceOnly, created));

		awaitHandled(invoiceOnly, created);
		List<ConsumerRecord<String, byte[]>> deadLetters = awaitDeadLetters(billing, 1);
		assertThat(deadLetters)
			.extracting(record -> this.topics.decode(record).value(BillingSubscriptionChanged.class).getEventId())
			.containsExactly(withoutOurIds.getEventId());
		assertThat(header(deadLetters.get(0), DeadLetters.ROOT_CAUSE_CLASS_HEADER))
			.isEqualTo(BillingSubscriptionUnknown.class.getName());
		assertThat(header(deadLetters.get(0), DeadLetters.ROOT_CAUSE_MESSAGE_HEADER)).contains(billing.key())
			.contains("customer_id");
		Subscription subscription = subscriptionOf(billing).orElseThrow();
		assertThat(subscription.getStatus()).isEqualTo(SubscriptionStatus.ACTIVE);
		assertThat(this.subscriptions.invoicesOf(this.organization, subscription.getId())).singleElement()
			.returns(invoiceOnly.getInvoice().getProviderInvoiceId(), Invoice::getProviderInvoiceId)
			.returns(Invoice.Status.PAID, Invoice::getStatus);
		assertThat(handled(withoutOurIds.getEventId())).as("a dead letter's record in the inbox").isFalse();
	}

	/**
	 * The provider sent the invoice event before the subscription's first snapshot (Lemon
	 * Squeezy's payment_success before subscription_created; Stripe's first snapshot,
	 * incomplete, dropped by the webhook): it has the snapshot's key, so it comes first
	 * on the same partition, is parked, and is applied when the snapshot creates the
	 * subscription.
	 */
	@Test
	void appliesAnInvoiceEventThatCameBeforeTheFirstSnapshotOnceTheSnapshotCreatesTheSubscription() {
		BillingFixture billing = billingOfKnownCustomer();
		BillingSubscriptionChanged invoicePaid = billing.invoicePaid().build();
		BillingSubscriptionChanged created = billing.active().build();

		send(billing, List.of(invoicePaid, created));

		awaitHandled(invoicePaid, created);
		Subscription subscription = subscriptionOf(billing).orElseThrow();
		assertThat(subscription).returns(SubscriptionStatus.ACTIVE, Subscription::getStatus)
			.returns(1999L, Subscription::getAmount)
			.returns("EUR", Subscription::getCurrency);
		assertThat(list(api(), "/subscriptions/" + subscription.getId() + "/invoices")).singleElement()
			.satisfies(invoice -> {
				assertThat(invoice).containsEntry("status", "paid")
					.containsEntry("amount", 1999)
					.containsEntry("currency", "EUR");
				assertThat(Instant.parse((String) invoice.get("paidAt"))).isEqualTo(invoicePaid.getOccurredAt());
			});
		assertThat(
				this.jdbc.queryForObject("select count(*) from invoice where provider = ? and provider_invoice_id = ?",
						Integer.class, this.provider, invoicePaid.getInvoice().getProviderInvoiceId()))
			.isEqualTo(1);
		assertThat(this.jdbc.queryForObject(
				"select count(*) from parked_billing_invoice where provider = ? and provider_subscription_id = ?",
				Integer.class, this.provider, billing.providerSubscriptionId()))
			.as("the parked invoice, once applied")
			.isZero();
		await().atMost(Duration.ofSeconds(10)).until(() -> count("parked") == 1 && count("created") == 1);
		assertThat(this.topics.decoded(DEAD_LETTERS)).noneMatch(record -> billing.key().equals(record.record().key()));
	}

	/**
	 * A past-due snapshot without an invoice came before the provider's invoice event:
	 * the invoice of ours it opened becomes the provider's, so the debt is one invoice,
	 * and the provider's payment pays it.
	 */
	@Test
	void makesTheOpenInvoiceOfAPastDueSnapshotTheProvidersWhenTheProvidersInvoiceComes() {
		BillingFixture billing = billingOfKnownCustomer();
		BillingSubscriptionChanged active = billing.active().build();
		BillingSubscriptionChanged pastDue = billing.pastDue().setInvoice(null).build();
		BillingSubscriptionChanged paid = billing.invoicePaid().build();

		send(billing, List.of(active, pastDue, paid));

		awaitHandled(active, pastDue, paid);
		Subscription subscription = subscriptionOf(billing).orElseThrow();
		assertThat(this.subscriptions.invoicesOf(this.organization, subscription.getId())).singleElement()
			.returns(Invoice.Status.PAID, Invoice::getStatus)
			.returns(this.provider, Invoice::getProvider)
			.returns(paid.getInvoice().getProviderInvoiceId(), Invoice::getProviderInvoiceId)
			.returns(1999L, Invoice::getAmount)
			.returns("EUR", Invoice::getCurrency)
			.returns(paid.getOccurredAt(), Invoice::getPaidAt);
		SubscriptionPastDue published = awaitAllPublished(subscription).stream()
			.filter(SubscriptionPastDue.class::isInstance)
			.map(SubscriptionPastDue.class::cast)
			.findFirst()
			.orElseThrow();
		assertThat(published.getInvoiceId()).as("the invoice the past-due event named")
			.isEqualTo(
					this.subscriptions.invoicesOf(this.organization, subscription.getId()).get(0).getId().toString());
	}

	/**
	 * Two states in the same second (the providers' times have one-second resolution):
	 * the later record wins.
	 */
	@Test
	void appliesTheLaterOfTwoSnapshotsOfTheSameSecond() {
		BillingFixture billing = billingOfKnownCustomer();
		BillingSubscriptionChanged active = billing.active().build();
		BillingSubscriptionChanged paused = billing.paused().setOccurredAt(active.getOccurredAt()).build();

		send(billing, List.of(active, paused));

		awaitHandled(active, paused);
		assertThat(subscriptionOf(billing).orElseThrow().getStatus()).isEqualTo(SubscriptionStatus.PAUSED);
		await().atMost(Duration.ofSeconds(10)).until(() -> count("created") == 1 && count("applied") == 1);
		assertThat(count("stale")).isZero();
	}

	/**
	 * The customer was deleted and its subscription revoked; a late snapshot with an
	 * invoice, and a late invoice event, add nothing to it.
	 */
	@Test
	void addsNoInvoiceToTheSubscriptionOfADeletedCustomerFromALateRecord() {
		BillingFixture billing = billingOfKnownCustomer();
		BillingSubscriptionChanged active = billing.active().build();
		send(billing, List.of(active));
		awaitHandled(active);
		Subscription subscription = subscriptionOf(billing).orElseThrow();
		this.transactions.executeWithoutResult(status -> {
			this.customers.recordDeleted(new KnownCustomers.Deleted(billing.customerId(), this.organization,
					Instant.now().truncatedTo(ChronoUnit.MILLIS)));
			List<SubscriptionEvent.Ended> ended = this.subscriptions
				.revokeAllOfDeletedCustomers(List.of(billing.customerId()));
			assertThat(ended).hasSize(1);
			this.outbox.appendAll(ended.stream().map(SubscriptionEventPublisher::ended).toList());
		});
		long sequence = this.subscriptions.get(this.organization, subscription.getId()).getEventSequence();
		BillingSubscriptionChanged pastDue = billing.pastDue().build();
		BillingSubscriptionChanged invoicePaid = billing.invoicePaid().build();

		send(billing, List.of(pastDue, invoicePaid));

		awaitHandled(pastDue, invoicePaid);
		Subscription revoked = this.subscriptions.get(this.organization, subscription.getId());
		assertThat(revoked).returns(SubscriptionStatus.REVOKED, Subscription::getStatus)
			.returns(sequence, Subscription::getEventSequence);
		assertThat(this.subscriptions.invoicesOf(this.organization, subscription.getId())).isEmpty();
		assertThat(this.jdbc.queryForObject("select count(*) from invoice where provider = ?", Integer.class,
				this.provider))
			.isZero();
		await().atMost(Duration.ofSeconds(10)).until(() -> count("customer_deleted") == 2);
		assertThat(awaitAllPublished(subscription)).hasSize((int) sequence);
	}

	@Test
	void deadLettersTheFirstSnapshotOfACustomerThatIsNotKnownAfterRetrying() {
		BillingFixture billing = BillingFixture.of(this.provider, UUID.randomUUID(), UUID.randomUUID());
		BillingSubscriptionChanged active = billing.active().build();

		send(billing, List.of(active));

		ConsumerRecord<String, byte[]> deadLetter = awaitDeadLetters(billing, 1).get(0);
		assertThat(header(deadLetter, DeadLetters.ROOT_CAUSE_CLASS_HEADER)).isEqualTo(CustomerUnknown.class.getName());
		assertThat(header(deadLetter, DeadLetters.ROOT_CAUSE_MESSAGE_HEADER)).contains(billing.customerId().toString());
		assertThat(subscriptionOf(billing)).isEmpty();
		assertThat(handled(active.getEventId())).isFalse();
	}

	/**
	 * A status the contract does not name cannot be a snapshot: a dead letter at once,
	 * without retries, and the record behind it is handled.
	 */
	@Test
	void deadLettersARecordThatCannotBeReadAtOnceAndGoesOn() {
		BillingFixture billing = billingOfKnownCustomer();
		BillingSubscriptionChanged unreadable = billing.active().setStatus("zombie").build();
		BillingSubscriptionChanged created = billing.active().build();

		send(billing, List.of(unreadable, created));

		awaitHandled(created);
		ConsumerRecord<String, byte[]> deadLetter = awaitDeadLetters(billing, 1).get(0);
		assertThat(header(deadLetter, DeadLetters.ROOT_CAUSE_MESSAGE_HEADER)).contains("zombie");
		assertThat(header(deadLetter, "kafka_dlt-exception-cause-fqcn"))
			.isEqualTo("org.springframework.messaging.converter.MessageConversionException");
		assertThat(subscriptionOf(billing)).isPresent();
	}

	private List<ConsumerRecord<String, byte[]>> awaitDeadLetters(BillingFixture billing, int count) {
		return await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> this.topics.decoded(DEAD_LETTERS)
				.stream()
				.filter(record -> billing.key().equals(record.key()))
				.map(EventTopics.Decoded::record)
				.toList(), records -> records.size() >= count);
	}

	private BillingFixture billingOfKnownCustomer() {
		UUID customer = UUID.randomUUID();
		this.customers.recordCreated(new KnownCustomers.Created(customer, this.organization, Instant.now()));
		return BillingFixture.of(this.provider, customer, UUID.randomUUID());
	}

	private void send(BillingFixture billing, List<BillingSubscriptionChanged> records) {
		this.topics.send(TOPIC, billing.key(), records.toArray(SpecificRecord[]::new));
	}

	/**
	 * The records in order ({@link #IN_ORDER}), newest first ({@link #NEWEST_FIRST}), or
	 * shuffled by {@code seed}.
	 */
	private static <T> List<T> shuffled(List<T> records, long seed) {
		List<T> shuffled = new ArrayList<>(records);
		if (seed == NEWEST_FIRST) {
			Collections.reverse(shuffled);
		}
		else if (seed != IN_ORDER) {
			Collections.shuffle(shuffled, new Random(seed));
		}
		return shuffled;
	}

	private static List<String> statuses(List<BillingSubscriptionChanged> records) {
		return records.stream()
			.map(record -> record.getStatus() + (record.getCancelAtPeriodEnd() ? "+cancel" : "") + "@"
					+ record.getOccurredAt().getEpochSecond() % 100)
			.toList();
	}

	/** Waits until the listener has committed each record (its inbox entry). */
	private void awaitHandled(BillingSubscriptionChanged... records) {
		for (BillingSubscriptionChanged record : records) {
			await().atMost(Duration.ofSeconds(30)).until(() -> handled(record.getEventId()));
		}
	}

	private boolean handled(String eventId) {
		return this.jdbc.queryForObject(
				"select count(*) from inbox where consumer = 'subscription-service.billing' and event_id = ?::uuid",
				Integer.class, eventId) == 1;
	}

	private Optional<Subscription> subscriptionOf(BillingFixture billing) {
		return this.subscriptions.findByProviderSubscription(billing.provider(), billing.providerSubscriptionId());
	}

	/**
	 * The subscription's events on subscription.events, once all it recorded are there.
	 */
	private List<SpecificRecord> awaitAllPublished(Subscription subscription) {
		long recorded = this.subscriptions.get(this.organization, subscription.getId()).getEventSequence();
		return await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> eventsOf(subscription), published -> published.size() >= recorded);
	}

	/**
	 * The subscription's events, in order: they are keyed by its id, so on one partition.
	 */
	private List<SpecificRecord> eventsOf(Subscription subscription) {
		return this.topics.decoded(Topic.SUBSCRIPTION_EVENTS.topicName())
			.stream()
			.filter(record -> subscription.getId().toString().equals(record.key()))
			.map(EventTopics.Decoded::value)
			.map(SpecificRecord.class::cast)
			.toList();
	}

	private double count(String outcome) {
		Counter counter = this.meters.find(BillingEventsListener.METER)
			.tag("provider", this.provider)
			.tag("outcome", outcome)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static String header(ConsumerRecord<String, byte[]> record, String name) {
		return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
	}

	/** The API as the organization of the test's customers sees it. */
	private RestTestClient api() {
		return TestTokens.authorized(this.server, this.organization, ApiScopes.SUBSCRIPTIONS_WRITE);
	}

}
