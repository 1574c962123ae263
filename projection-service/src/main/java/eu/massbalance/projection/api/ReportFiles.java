package eu.massbalance.projection.api;

import eu.massbalance.projection.store.YearlyReport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.poi.xssf.usermodel.XSSFCellStyle;
import org.apache.poi.xssf.usermodel.XSSFFont;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * The yearly report as files a person or the authority's tool takes: CSV (RFC 4180, UTF-8, comma,
 * decimal point) and XLSX, with column headings in Swedish (the guidance's own words, 5.2, a–o) or
 * English. The same report gives the same bytes: no clock, fixed ZIP entry times in the XLSX.
 */
final class ReportFiles {

    /** A column: its headings in Swedish (as the guidance names the characteristic) and English, and its value. */
    record Column(String sv, String en, Function<YearlyReport.Line, Object> value) {
    }

    static final List<Column> COLUMNS = List.of(
            new Column("Anläggning", "Site", YearlyReport.Line::siteId),
            new Column("Parti", "Batch", YearlyReport.Line::batchId),
            new Column("Produkt", "Product", YearlyReport.Line::product),
            new Column("a) Bränslekategori", "a) Fuel category", YearlyReport.Line::fuelCategory),
            new Column("b) Användningsområde", "b) Use area", YearlyReport.Line::useArea),
            new Column("c) Hållbar mängd", "c) Sustainable quantity", YearlyReport.Line::quantity),
            new Column("c) Enhet", "c) Unit", YearlyReport.Line::unit),
            new Column("d) Effektivt värmevärde", "d) Lower heating value", YearlyReport.Line::lowerHeatingValue),
            new Column("d) Enhet", "d) Unit", YearlyReport.Line::lowerHeatingValueUnit),
            new Column("Energiinnehåll (MJ)", "Energy content (MJ)", YearlyReport.Line::energyMJ),
            new Column("e) Råvara", "e) Raw material", YearlyReport.Line::rawMaterial),
            new Column("f) Ursprungsland", "f) Country of origin", YearlyReport.Line::countryOfOrigin),
            new Column("g) Råvarugrupp", "g) Raw-material group", YearlyReport.Line::rawMaterialGroup),
            new Column("h) Bilaga 9, del A eller B", "h) Annex IX, part A or B", YearlyReport.Line::annexIX),
            new Column("i) Restprodukt eller avfall", "i) Residue or waste", YearlyReport.Line::residueOrWaste),
            new Column("j) Cellulosainnehåll", "j) Cellulosic content", YearlyReport.Line::celluloseType),
            new Column("k) Utsläpp av växthusgaser", "k) GHG emissions", YearlyReport.Line::ghgEmissions),
            new Column("k) Enhet", "k) Unit", YearlyReport.Line::ghgEmissionsUnit),
            new Column("l) Metod för utsläppsminskningen", "l) GHG saving method", YearlyReport.Line::ghgMethod),
            new Column("m) Produktionskedja", "m) Production pathway", YearlyReport.Line::productionPathway),
            new Column("n) Tillgodoräknanden (eB, esca)", "n) Credits (eB, esca)", YearlyReport.Line::credits),
            new Column("o) Frivilligt system", "o) Voluntary scheme", YearlyReport.Line::voluntaryScheme));

    private ReportFiles() {
    }

    static boolean swedish(String lang) {
        return !"en".equals(lang);
    }

    static String heading(Column column, String lang) {
        return swedish(lang) ? column.sv() : column.en();
    }

    static String cell(Object value, String lang) {
        if (value == null) {
            return "";
        }
        if (value instanceof Boolean b) {
            return swedish(lang) ? (b ? "ja" : "nej") : (b ? "yes" : "no");
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return value.toString();
    }

    static byte[] csv(YearlyReport.Report report, String lang) {
        StringBuilder out = new StringBuilder();
        List<String> headings = COLUMNS.stream().map(c -> heading(c, lang)).toList();
        row(out, headings);
        for (YearlyReport.Line line : report.lines()) {
            row(out, COLUMNS.stream().map(c -> cell(c.value().apply(line), lang)).toList());
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void row(StringBuilder out, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String cell = cells.get(i);
            // a cell a spreadsheet would read as a formula is quoted and prefixed, never evaluated
            if (!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0 && !cell.matches("-?\\d+(\\.\\d+)?")) {
                cell = "'" + cell;
            }
            if (cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")) {
                cell = "\"" + cell.replace("\"", "\"\"") + "\"";
            }
            out.append(cell);
        }
        out.append("\r\n");
    }

    static byte[] xlsx(YearlyReport.Report report, String lang) {
        boolean sv = swedish(lang);
        try (XSSFWorkbook workbook = new XSSFWorkbook(); ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
            // the document's dates are the year's end, not the moment it was made
            Date yearEnd = Date.from(java.time.LocalDate.of(report.year(), 12, 31).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
            workbook.getProperties().getCoreProperties().setCreated(java.util.Optional.of(yearEnd));
            workbook.getProperties().getCoreProperties().setModified(java.util.Optional.of(yearEnd));
            workbook.getProperties().getCoreProperties().setTitle((sv ? "Hållbarhetsrapport " : "Sustainability report ")
                    + report.organisationId() + " " + report.year());
            XSSFCellStyle bold = workbook.createCellStyle();
            XSSFFont font = workbook.createFont();
            font.setBold(true);
            bold.setFont(font);

            XSSFSheet lines = workbook.createSheet(sv ? "Partier" : "Batches");
            XSSFRow header = lines.createRow(0);
            for (int i = 0; i < COLUMNS.size(); i++) {
                header.createCell(i).setCellValue(heading(COLUMNS.get(i), lang));
                header.getCell(i).setCellStyle(bold);
            }
            int r = 1;
            for (YearlyReport.Line line : report.lines()) {
                XSSFRow row = lines.createRow(r++);
                for (int i = 0; i < COLUMNS.size(); i++) {
                    Object value = COLUMNS.get(i).value().apply(line);
                    if (value instanceof BigDecimal d) {
                        row.createCell(i).setCellValue(d.doubleValue());
                    } else {
                        row.createCell(i).setCellValue(cell(value, lang));
                    }
                }
            }
            lines.createFreezePane(0, 1);

            XSSFSheet totals = workbook.createSheet(sv ? "Summor" : "Totals");
            int t = 0;
            t = totals(totals, t, bold, sv ? "Per bränslekategori" : "Per fuel category", report.byFuelCategory(), sv);
            totals(totals, t + 1, bold, sv ? "Per råvarugrupp" : "Per raw-material group", report.byRawMaterialGroup(), sv);

            XSSFSheet about = workbook.createSheet(sv ? "Om rapporten" : "About");
            List<String[]> facts = new ArrayList<>();
            facts.add(new String[] {sv ? "Organisation" : "Organisation", report.organisationId()});
            facts.add(new String[] {sv ? "År" : "Year", String.valueOf(report.year())});
            facts.add(new String[] {sv ? "Preliminär" : "Provisional", cell(report.provisional(), lang)});
            facts.add(new String[] {sv ? "Öppna perioder" : "Open periods", String.join(", ", report.openPeriods())});
            for (Map.Entry<String, Long> position : report.positions().entrySet()) {
                facts.add(new String[] {(sv ? "Loggposition " : "Log position ") + position.getKey(), String.valueOf(position.getValue())});
            }
            facts.add(new String[] {sv ? "Grund" : "Basis", sv
                    ? "5 kap. 1 § HBFS; hållbara mängder för vilka skattskyldighet inträtt under året, per parti (R-21)"
                    : "5 kap. 1 § HBFS; sustainable quantities for which tax liability arose in the year, per batch (R-21)"});
            for (int i = 0; i < facts.size(); i++) {
                XSSFRow row = about.createRow(i);
                row.createCell(0).setCellValue(facts.get(i)[0]);
                row.getCell(0).setCellStyle(bold);
                row.createCell(1).setCellValue(facts.get(i)[1]);
            }
            workbook.write(bytes);
            return fixedTimes(bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int totals(XSSFSheet sheet, int start, XSSFCellStyle bold, String title, List<YearlyReport.Total> totals, boolean sv) {
        XSSFRow heading = sheet.createRow(start);
        heading.createCell(0).setCellValue(title);
        heading.getCell(0).setCellStyle(bold);
        heading.createCell(1).setCellValue(sv ? "Enhet" : "Unit");
        heading.createCell(2).setCellValue(sv ? "Hållbar mängd" : "Sustainable quantity");
        heading.createCell(3).setCellValue(sv ? "Energiinnehåll (MJ)" : "Energy content (MJ)");
        int r = start + 1;
        for (YearlyReport.Total total : totals) {
            XSSFRow row = sheet.createRow(r++);
            row.createCell(0).setCellValue(total.key() == null ? "" : total.key());
            row.createCell(1).setCellValue(total.unit());
            row.createCell(2).setCellValue(total.quantity().doubleValue());
            if (total.energyMJ() != null) {
                row.createCell(3).setCellValue(total.energyMJ().doubleValue());
            }
        }
        return r;
    }

    /** The same workbook, its ZIP entries stamped with one fixed time: the same report, the same bytes. */
    static byte[] fixedTimes(byte[] zip) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(zip.length);
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip)); ZipOutputStream rezipped = new ZipOutputStream(out)) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                ZipEntry fixed = new ZipEntry(entry.getName());
                fixed.setTime(315532800000L); // 1980-01-01, the earliest a ZIP entry can carry
                rezipped.putNextEntry(fixed);
                in.transferTo(rezipped);
                rezipped.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
