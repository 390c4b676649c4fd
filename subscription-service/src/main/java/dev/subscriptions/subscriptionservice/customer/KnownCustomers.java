package dev.subscriptions.subscriptionservice.customer;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * This service's replica of customers, kept from {@code customer.events}. Deleted
 * customers stay as tombstones.
 */
@Repository
public class KnownCustomers {

	private final JdbcClient jdbc;

	KnownCustomers(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** A customer as this service knows it. */
	public record KnownCustomer(UUID id, UUID organizationId, @Nullable Instant deletedAt) {

		public boolean isDeleted() {
			return this.deletedAt != null;
		}

	}

	/** customer-service created the customer. */
	public record Created(UUID id, UUID organizationId, Instant createdAt) {
	}

	/** customer-service deleted the customer. */
	public record Deleted(UUID id, UUID organizationId, Instant deletedAt) {
	}

	/**
	 * Records a created customer; a customer already known (possibly as a tombstone)
	 * stays as it is.
	 */
	public void recordCreated(Created created) {
		recordCreated(List.of(created));
	}

	/**
	 * Records created customers in one statement, as {@link #recordCreated(Created)} does
	 * each; a customer named twice is recorded as the first names it.
	 */
	public void recordCreated(Collection<Created> created) {
		if (created.isEmpty()) {
			return;
		}
		List<Created> rows = created.stream().sorted(Comparator.comparing(Created::id)).toList();
		this.jdbc.sql("""
				insert into customer (id, organization_id, created_at)
				select * from unnest(?::uuid[], ?::uuid[], ?::timestamptz[])
				on conflict (id) do nothing""")
			.params(rows.stream().map(Created::id).toArray(UUID[]::new),
					rows.stream().map(Created::organizationId).toArray(UUID[]::new),
					rows.stream().map(Created::createdAt).map(KnownCustomers::timestamp).toArray(Timestamp[]::new))
			.update();
	}

	/**
	 * Records the deletion, also of a customer not known yet, and locks the row until the
	 * transaction ends: a subscription being created for the customer meanwhile waits,
	 * then sees the tombstone.
	 */
	public void recordDeleted(Deleted deleted) {
		recordDeleted(List.of(deleted));
	}

	/**
	 * Records deletions in one statement, as {@link #recordDeleted(Deleted)} does each,
	 * locking the rows in the order of their ids (so that two such statements never wait
	 * for each other in a cycle); a customer named twice is recorded as the first names
	 * it.
	 */
	public void recordDeleted(Collection<Deleted> deleted) {
		if (deleted.isEmpty()) {
			return;
		}
		Map<UUID, Deleted> byId = new TreeMap<>();
		deleted.forEach(customer -> byId.putIfAbsent(customer.id(), customer));
		Collection<Deleted> rows = byId.values();
		Timestamp[] deletedAt = rows.stream()
			.map(Deleted::deletedAt)
			.map(KnownCustomers::timestamp)
			.toArray(Timestamp[]::new);
		this.jdbc.sql("""
				insert into customer (id, organization_id, created_at, deleted_at)
				select * from unnest(?::uuid[], ?::uuid[], ?::timestamptz[], ?::timestamptz[])
				on conflict (id) do update set deleted_at = coalesce(customer.deleted_at, excluded.deleted_at)""")
			.params(rows.stream().map(Deleted::id).toArray(UUID[]::new),
					rows.stream().map(Deleted::organizationId).toArray(UUID[]::new), deletedAt, deletedAt)
			.update();
	}

	/**
	 * The customer, of any organization, locked against deletion until the transaction
	 * ends (a shared lock: creations for one customer do not wait for each other). For
	 * billing providers, whose records name no organization.
	 */
	public Optional<KnownCustomer> findByIdForShare(UUID id) {
		return this.jdbc.sql("select id, organization_id, deleted_at from customer where id = ? for share")
			.param(id)
			.query(KnownCustomers::customer)
			.optional();
	}

	/**
	 * The customer if it is one of {@code organizationId}, locked as by
	 * {@link #findByIdForShare}; one of another organization is not found.
	 */
	public Optional<KnownCustomer> findByIdAndOrganizationIdForShare(UUID id, UUID organizationId) {
		return this.jdbc.sql("""
				select id, organization_id, deleted_at from customer
				where id = ? and organization_id = ?
				for share""").params(id, organizationId).query(KnownCustomers::customer).optional();
	}

	private static KnownCustomer customer(ResultSet rs, int row) throws SQLException {
		Timestamp deletedAt = rs.getTimestamp("deleted_at");
		return new KnownCustomer(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class),
				(deletedAt != null) ? deletedAt.toInstant() : null);
	}

	private static Timestamp timestamp(Instant instant) {
		return Timestamp.from(instant);
	}

}
