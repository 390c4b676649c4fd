package dev.subscriptions.eventing.consumer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.KafkaNull;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.transaction.support.TransactionTemplate;

import dev.subscriptions.eventing.consumer.BatchDispatcher.Route;
import dev.subscriptions.eventing.consumer.BatchDispatcher.Target;
import dev.subscriptions.eventing.inbox.Inbox;

/**
 * Handles a poll's records as a set: one transaction per batch, the inbox written
 * set-wise, each event type's deliveries handed to its {@link SetHandler}. A record that
 * fails is retried alone and, if it keeps failing, dead-lettered alone; the records
 * before it commit.
 * <p>
 * A batch listener:<pre>
 * &#64;KafkaListener(topics = ..., groupId = ..., containerFactory = EventingBatchListeners.FACTORY, batch = "true")
 * void on(List&lt;ConsumerRecord&lt;String, Object&gt;&gt; records) {
 * 	this.batches.handle(records, this.dispatcher);
 * }</pre>
 * <p>
 * What becomes of the records of a batch, in poll order:
 * <ul>
 * <li>A record that did not decode ends the batch: the records before it are handled,
 * then a {@link BatchListenerFailedException} at its index makes the error handler commit
 * them and dead-letter it at once ({@link DeadLetters.Failure#POISON}); the records after
 * it come again with the next poll. So does a record whose event id (or, for a shared
 * handler, event) the dispatcher cannot read, with the kind of its exception.</li>
 * <li>A record without value (a tombstone, {@code null} or {@link KafkaNull}) and one of
 * a type the dispatcher neither handles nor ignores is counted by
 * {@link UnhandledRecords#skip} when the batch's work before its failed record (if any)
 * has committed, before Spring commits the offsets: a failed offset commit delivers the
 * records again and may count them again. Ignored types are dropped.</li>
 * <li>The others are split into waves: a record goes to the wave after the last one that
 * holds its key (topic and key), so the keys of a wave are distinct and a key's events
 * are applied in order. An event id seen earlier in the batch (a redelivery) is dropped
 * and counted as an inbox duplicate.</li>
 * <li>One transaction: for each wave in order, the inbox's set insert of its event ids
 * ({@link Inbox#markProcessed(String, java.util.Collection)}), then each type's
 * {@link SetHandler} (in the order the dispatcher names them) with the deliveries new to
 * the inbox; types that share a handler ({@link BatchDispatcher.Builder#onAny}) reach it
 * in one call, in poll order. Types handled with
 * {@link BatchDispatcher.Builder#onDeduplicatedByHandler} skip the inbox step.</li>
 * <li>If it fails with an outage ({@link DeadLetters#isOutage}), nothing is committed:
 * the exception is thrown at index 0 and the whole batch is retried without limit. Any
 * other failure rolls the transaction back and the records are handled again one per
 * transaction, with one-element lists; the first that fails is thrown at its index, so
 * the records before it commit and it is retried alone (a bounded number of times for a
 * deterministic failure), then dead-lettered alone.</li>
 * </ul>
 */
public class BatchHandling {

	private static final LogAccessor logger = new LogAccessor(BatchHandling.class);

	private final TransactionTemplate transactions;

	private final Inbox inbox;

	private final UnhandledRecords unhandled;

	public BatchHandling(TransactionTemplate transactions, Inbox inbox, UnhandledRecords unhandled) {
		this.transactions = transactions;
		this.inbox = inbox;
		this.unhandled = unhandled;
	}

	/**
	 * Handles {@code records} (one poll of one container thread) with {@code dispatcher}.
	 * @throws BatchListenerFailedException at the index of the record that failed or did
	 * not decode, with the records before it committed
	 */
	public void handle(List<? extends ConsumerRecord<?, ?>> records, BatchDispatcher dispatcher) {
		Batch batch = scan(records, dispatcher);
		if (!batch.items().isEmpty()) {
			try {
				this.transactions.executeWithoutResult((status) -> applyInWaves(batch, dispatcher));
			}
			catch (RuntimeException ex) {
				if (DeadLetters.isOutage(ex)) {
					throw new BatchListenerFailedException("Batch of " + records.size() + " records failed (outage)",
							ex, 0);
				}
				logger.debug(ex, () -> "Batch of " + batch.items().size()
						+ " deliveries failed; handling them one per transaction");
				applyOneByOne(batch, dispatcher);
			}
		}
		Cut cut = batch.cut();
		skipped(batch, (cut != null) ? cut.index() : records.size(), dispatcher);
		if (cut != null) {
			throw new BatchListenerFailedException(cut.message(), cut.exception(), cut.index());
		}
	}

	/**
	 * The work of the batch, up to its cut point if it has one: the first record that did
	 * not decode, or whose event id cannot be read.
	 */
	private Batch scan(List<? extends ConsumerRecord<?, ?>> records, BatchDispatcher dispatcher) {
		List<Item> items = new ArrayList<>();
		List<Skip> skips = new ArrayList<>();
		Set<UUID> seen = new HashSet<>();
		for (int index = 0; index < records.size(); index++) {
			ConsumerRecord<?, ?> record = records.get(index);
			DeserializationException undecodable = deserializationException(record);
			if (undecodable != null) {
				return new Batch(items, skips,
						new Cut(index, "Record " + describe(record) + " did not decode", undecodable));
			}
			Object value = record.value();
			if (value == null || value instanceof KafkaNull) {
				skips.add(new Skip(index, record.topic(), null));
				continue;
			}
			Route<?> route = dispatcher.route(value.getClass());
			if (route == null) {
				if (!dispatcher.ignoredTypes().contains(value.getClass())) {
					skips.add(new Skip(index, record.topic(), value));
				}
				continue;
			}
			Item item;
			try {
				item = item(index, record, route, value);
			}
			catch (RuntimeException ex) {
				return new Batch(items, skips,
						new Cut(index, "The event id or event of record " + describe(record) + " cannot be read", ex));
			}
			if (route.target().inbox() && !seen.add(item.delivery().eventId())) {
				items.add(item.asRepeat());
				continue;
			}
			items.add(item);
		}
		return new Batch(items, skips, null);
	}

	private static <T> Item item(int index, ConsumerRecord<?, ?> record, Route<T> route, Object value) {
		UUID eventId = route.eventId().apply(value);
		return new Item(index, route, new Delivery<>(record, route.event().apply(value), eventId), false);
	}

	/**
	 * The deliveries in waves of distinct keys; a repeated event id goes with its first
	 * delivery's wave, where the inbox counts it.
	 */
	private void applyInWaves(Batch batch, BatchDispatcher dispatcher) {
		List<List<Item>> waves = new ArrayList<>();
		Map<String, Integer> lastWave = new HashMap<>();
		Map<UUID, Integer> waveOfId = new HashMap<>();
		for (Item item : batch.items()) {
			int wave;
			if (item.repeated()) {
				wave = waveOfId.get(item.delivery().eventId());
			}
			else {
				wave = lastWave.merge(waveKey(item.delivery().record()), 0, (last, zero) -> last + 1);
				if (item.inbox()) {
					waveOfId.put(item.delivery().eventId(), wave);
				}
			}
			while (waves.size() <= wave) {
				waves.add(new ArrayList<>());
			}
			waves.get(wave).add(item);
		}
		for (List<Item> wave : waves) {
			apply(wave, dispatcher);
		}
	}

	private void applyOneByOne(Batch batch, BatchDispatcher dispatcher) {
		for (Item item : batch.items()) {
			try {
				this.transactions.executeWithoutResult((status) -> apply(List.of(item.single()), dispatcher));
			}
			catch (RuntimeException ex) {
				skipped(batch, item.index(), dispatcher);
				throw new BatchListenerFailedException(
						"Record " + describe(item.delivery().record()) + " failed on its own", ex, item.index());
			}
		}
	}

	/**
	 * One wave: the inbox's set insert, then each type's handler with the deliveries new
	 * to the inbox, in the order the dispatcher names the types.
	 */
	private void apply(List<Item> wave, BatchDispatcher dispatcher) {
		List<UUID> ids = new ArrayList<>();
		for (Item item : wave) {
			if (item.inbox()) {
				ids.add(item.delivery().eventId());
			}
		}
		Set<UUID> first = ids.isEmpty() ? Set.of() : this.inbox.markProcessed(dispatcher.consumer(), ids);
		Map<Target<?>, List<Delivery<?>>> byTarget = new LinkedHashMap<>();
		for (Class<?> type : dispatcher.handledTypes()) {
			byTarget.putIfAbsent(dispatcher.route(type).target(), new ArrayList<>());
		}
		for (Item item : wave) {
			if (!item.repeated() && (!item.inbox() || first.contains(item.delivery().eventId()))) {
				byTarget.get(item.route().target()).add(item.delivery());
			}
		}
		byTarget.forEach((target, deliveries) -> {
			if (!deliveries.isEmpty()) {
				handle(target, deliveries);
			}
		});
	}

	@SuppressWarnings("unchecked")
	private static <T> void handle(Target<T> target, List<Delivery<?>> deliveries) {
		target.handler().handle(List.copyOf((List<Delivery<T>>) (List<?>) deliveries));
	}

	/**
	 * Counts the skipped records before {@code end}, whose work has committed and whose
	 * offsets Spring commits next.
	 */
	private void skipped(Batch batch, int end, BatchDispatcher dispatcher) {
		for (Skip skip : batch.skips()) {
			if (skip.index() < end) {
				this.unhandled.skip(dispatcher.consumer(), skip.topic(), skip.value());
			}
		}
	}

	private static String waveKey(ConsumerRecord<?, ?> record) {
		return record.topic() + '\u0000' + record.key();
	}

	private static @Nullable DeserializationException deserializationException(ConsumerRecord<?, ?> record) {
		Header value = record.headers().lastHeader(SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER);
		Header key = record.headers().lastHeader(SerializationUtils.KEY_DESERIALIZER_EXCEPTION_HEADER);
		if (value == null && key == null) {
			return null;
		}
		DeserializationException exception = SerializationUtils.getExceptionFromHeader(record,
				(value != null) ? SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER
						: SerializationUtils.KEY_DESERIALIZER_EXCEPTION_HEADER,
				logger);
		return (exception != null) ? exception
				: new DeserializationException("Record " + describe(record) + " did not decode", new byte[0], false,
						new IllegalStateException("Its deserialization exception header could not be read"));
	}

	private static String describe(ConsumerRecord<?, ?> record) {
		return record.topic() + "-" + record.partition() + "@" + record.offset();
	}

	private record Batch(List<Item> items, List<Skip> skips, @Nullable Cut cut) {
	}

	/** Where a batch ends: the record at {@code index} fails before any handler. */
	private record Cut(int index, String message, Exception exception) {
	}

	/**
	 * A delivery of the batch at {@code index}; a {@code repeated} one has an event id
	 * seen earlier in the batch and is only counted by the inbox.
	 */
	private record Item(int index, Route<?> route, Delivery<?> delivery, boolean repeated) {

		boolean inbox() {
			return this.route.target().inbox();
		}

		Item asRepeat() {
			return new Item(this.index, this.route, this.delivery, true);
		}

		/** Itself, as its own batch of one (the inbox tells a repeat then). */
		Item single() {
			return new Item(this.index, this.route, this.delivery, false);
		}

	}

	private record Skip(int index, String topic, @Nullable Object value) {
	}

}
