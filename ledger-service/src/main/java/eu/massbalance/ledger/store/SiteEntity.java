package eu.massbalance.ledger.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A registered site and its current configuration (the contracts' SiteConfigured, as JSON). */
@Entity
@Table(name = "site")
public class SiteEntity extends PanacheEntityBase {

    @Id
    @Column(name = "site_id")
    public String siteId;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "configuration", nullable = false)
    public String configuration;

    @Column(name = "organisation_id")
    public String organisationId;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}
