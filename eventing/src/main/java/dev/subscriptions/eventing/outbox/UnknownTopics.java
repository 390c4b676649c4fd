package dev.subscriptions.eventing.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topics that Kafka confirmed do not exist, and since when. A producer cannot tell a
 * missing topic from an unreachable broker (both end in a metadata timeout), so the relay
 * asks an admin client: only a topic the cluster itself calls unknown counts, and only
 * once it stayed unknown for longer than the grace are its rows parked. Until then its
 * rows are held back (not sent, so no send waits for its metadata), and every other topic
 * keeps flowing.
 */
class UnknownTopics {

	private static final Logger log = LoggerFactory.getLogger(UnknownTopics.class);

	private static final Duration RECHECK = Duration.ofSeconds(1);

	private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(5);

	private final Supplier<Admin> admins;

	private final Duration grace;

	private final Clock clock;

	private final Map<String, Unknown> topics = new ConcurrentHashMap<>();

	private Admin admin;

	UnknownTopics(Supplier<Admin> admins, Duration grace, Clock clock) {
		this.admins = admins;
		this.grace = grace;
		this.clock = clock;
	}

	/**
	 * Asks the cluster about a topic a send could not find.
	 * @return since when the topic is known to be unknown, or {@code null} if it exists
	 * or the cluster did not answer (an outage, retried as such)
	 */
	Instant confirm(String topic) {
		Boolean exists = exists(topic);
		if (exists == null || exists) {
			this.topics.remove(topic);
			return null;
		}
		Instant now = this.clock.instant();
		Unknown unknown = this.topics.compute(topic,
				(name, known) -> (known != null) ? known.checkedAt(now) : new Unknown(now, now));
		if (unknown.since().equals(now)) {
			log.warn("Topic {} does not exist; its outbox rows are held back and parked if it is still unknown in {}",
					topic, this.grace);
		}
		return unknown.since();
	}

	/**
	 * Asks again about each topic last checked over a second ago; forgets those that
	 * exist now.
	 */
	void recheck() {
		Instant now = this.clock.instant();
		for (Map.Entry<String, Unknown> entry : this.topics.entrySet()) {
			if (Duration.between(entry.getValue().checkedAt(), now).compareTo(RECHECK) >= 0) {
				Boolean exists = exists(entry.getKey());
				if (Boolean.TRUE.equals(exists)) {
					log.info("Topic {} exists now; publishing its outbox rows", entry.getKey());
					this.topics.remove(entry.getKey());
				}
				else {
					this.topics.computeIfPresent(entry.getKey(), (name, known) -> known.checkedAt(now));
				}
			}
		}
	}

	/** Topics unknown for less than the grace: their rows wait. */
	Set<String> held() {
		Instant now = this.clock.instant();
		return this.topics.entrySet()
			.stream()
			.filter(entry -> !expired(entry.getValue(), now))
			.map(Map.Entry::getKey)
			.collect(Collectors.toSet());
	}

	/**
	 * Since when a topic is unknown if that is longer than the grace, else {@code null}.
	 */
	Instant expiredSince(String topic) {
		Unknown unknown = this.topics.get(topic);
		return (unknown != null && expired(unknown, this.clock.instant())) ? unknown.since() : null;
	}

	private boolean expired(Unknown unknown, Instant now) {
		return Duration.between(unknown.since(), now).compareTo(this.grace) >= 0;
	}

	private @Nullable Boolean exists(String topic) {
		try {
			admin()
				.describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs((int) ADMIN_TIMEOUT.toMillis()))
				.allTopicNames()
				.get(ADMIN_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
			return true;
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof UnknownTopicOrPartitionException) {
				return false;
			}
			log.debug("Could not describe topic {}", topic, ex);
			return null;
		}
		catch (java.util.concurrent.TimeoutException | RuntimeException ex) {
			log.debug("Could not describe topic {}", topic, ex);
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	private synchronized Admin admin() {
		if (this.admin == null) {
			this.admin = this.admins.get();
		}
		return this.admin;
	}

	/** Forgets every topic and closes the admin client (when leadership ends). */
	synchronized void reset() {
		this.topics.clear();
		if (this.admin != null) {
			try {
				this.admin.close(Duration.ofSeconds(5));
			}
			catch (RuntimeException ex) {
				log.debug("Closing the outbox admin client failed", ex);
			}
			this.admin = null;
		}
	}

	private record Unknown(Instant since, Instant checkedAt) {

		Unknown checkedAt(Instant now) {
			return new Unknown(this.since, now);
		}

	}

}
