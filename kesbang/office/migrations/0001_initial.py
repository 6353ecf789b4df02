"""The office's models, moved here from the ``kesbang`` app: created in the migration state only. Their
tables (``kesbang_report`` ...) were created by ``kesbang/0005_office`` and ``0006_nonworkingday`` and keep
their rows; ``kesbang/0011_office_models_moved`` drops the models from the old app's state."""

import django.db.models.deletion
import kesbang.core.uploads
import kesbang.office.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('kesbang', '0010_audit_kinds_merged'),
        ('teams', '0006_evidence_private_storage'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Recipient',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('email', models.EmailField(max_length=254, unique=True, verbose_name='email')),
                        ('name', models.CharField(blank=True, max_length=200, verbose_name='nama')),
                        ('weekly_summary', models.BooleanField(default=True, verbose_name='ringkasan mingguan')),
                        ('reports', models.BooleanField(default=True, verbose_name='laporan berkala')),
                        ('active', models.BooleanField(default=True, help_text='Nonaktifkan untuk mengecualikan alamat ini, juga dari penerima bawaan.', verbose_name='aktif')),
                    ],
                    options={
                        'verbose_name': 'penerima ringkasan dan laporan',
                        'verbose_name_plural': 'penerima ringkasan dan laporan',
                        'db_table': 'kesbang_recipient',
                        'ordering': ['email'],
                    },
                ),
                migrations.CreateModel(
                    name='WeeklySummary',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('week', models.CharField(help_text='mis. 2026-W47', max_length=8, unique=True, verbose_name='minggu ISO')),
                        ('start', models.DateField(verbose_name='Senin')),
                        ('end', models.DateField(verbose_name='Minggu')),
                        ('content', models.JSONField(blank=True, default=dict, verbose_name='isi')),
                        ('planned_at', models.DateTimeField(auto_now_add=True, verbose_name='direncanakan')),
                    ],
                    options={
                        'verbose_name': 'ringkasan mingguan',
                        'verbose_name_plural': 'ringkasan mingguan',
                        'db_table': 'kesbang_weeklysummary',
                        'ordering': ['-start'],
                    },
                ),
                migrations.CreateModel(
                    name='NonWorkingDay',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(verbose_name='tanggal')),
                        ('name', models.CharField(help_text='mis. Cuti bersama Idul Fitri (SKB 3 Menteri)', max_length=200, verbose_name='keterangan')),
                        ('kind', models.CharField(choices=[('libur', 'Libur (cuti bersama, libur daerah)'), ('masuk', 'Hari kerja (membatalkan libur dari kalender nasional)')], default='libur', max_length=10, verbose_name='jenis')),
                    ],
                    options={
                        'verbose_name': 'hari libur tambahan',
                        'verbose_name_plural': 'hari libur tambahan',
                        'db_table': 'kesbang_nonworkingday',
                        'ordering': ['-date'],
                        'constraints': [models.UniqueConstraint(fields=('date',), name='nonworkingday_date_once', violation_error_message='Tanggal ini sudah tercatat.')],
                    },
                ),
                migrations.CreateModel(
                    name='Report',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('bulanan', 'Bulanan'), ('caturwulan', 'Caturwulan (B04/B08/B12)'), ('semester', 'Semester'), ('tahunan', 'Tahunan')], max_length=12, verbose_name='jenis')),
                        ('period', models.CharField(help_text='mis. 2026-05, 2026-B12, 2026-S1, 2026', max_length=8, verbose_name='periode')),
                        ('period_start', models.DateField(verbose_name='awal periode')),
                        ('period_end', models.DateField(verbose_name='akhir periode')),
                        ('version', models.PositiveSmallIntegerField(default=1, verbose_name='versi')),
                        ('status', models.CharField(choices=[('antri', 'Antri'), ('diproses', 'Diproses'), ('selesai', 'Selesai'), ('gagal', 'Gagal')], default='antri', max_length=10, verbose_name='status')),
                        ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='kemajuan (%)')),
                        ('progress_note', models.CharField(blank=True, max_length=200, verbose_name='tahap')),
                        ('progress_at', models.DateTimeField(blank=True, null=True, verbose_name='kemajuan terakhir')),
                        ('failure_reason', models.TextField(blank=True, verbose_name='alasan gagal')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='percobaan')),
                        ('scheduled', models.BooleanField(default=False, verbose_name='terjadwal')),
                        ('requested_at', models.DateTimeField(auto_now_add=True, verbose_name='diminta')),
                        ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='mulai diproses')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='selesai diproses')),
                        ('narrative', models.TextField(blank=True, verbose_name='narasi')),
                        ('finalised_at', models.DateTimeField(blank=True, null=True, verbose_name='difinalkan')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='dikirim')),
                        ('pdf_file', models.FileField(blank=True, max_length=255, storage=kesbang.core.uploads.get_private_storage, upload_to=kesbang.office.models.report_upload_to, verbose_name='berkas PDF')),
                        ('xlsx_file', models.FileField(blank=True, max_length=255, storage=kesbang.core.uploads.get_private_storage, upload_to=kesbang.office.models.report_upload_to, verbose_name='berkas xlsx')),
                        ('pdf_sha256', models.CharField(blank=True, max_length=64, verbose_name='checksum PDF (SHA-256)')),
                        ('xlsx_sha256', models.CharField(blank=True, max_length=64, verbose_name='checksum xlsx (SHA-256)')),
                        ('figures', models.JSONField(blank=True, default=dict, verbose_name='angka ringkasan')),
                        ('finalised_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='difinalkan oleh')),
                        ('region', models.ForeignKey(help_text='Provinsi atau satu kabupaten/kota.', on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='teams.region', verbose_name='wilayah')),
                        ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='diminta oleh')),
                    ],
                    options={
                        'verbose_name': 'laporan berkala',
                        'verbose_name_plural': 'laporan berkala',
                        'db_table': 'kesbang_report',
                        'ordering': ['-period_end', 'kind', 'region__code', '-version'],
                    },
                ),
                migrations.CreateModel(
                    name='ReportDelivery',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('pending', 'Menunggu'), ('sent', 'Terkirim'), ('failed', 'Gagal')], db_index=True, default='pending', max_length=10, verbose_name='status')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='percobaan')),
                        ('claimed_at', models.DateTimeField(blank=True, null=True, verbose_name='diklaim')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='dikirim')),
                        ('last_error', models.TextField(blank=True, verbose_name='galat terakhir')),
                        ('recipient', models.TextField(blank=True, verbose_name='penerima')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='dibuat')),
                        ('email', models.EmailField(max_length=254, verbose_name='email penerima')),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='office.report', verbose_name='laporan')),
                    ],
                    options={
                        'verbose_name': 'pengiriman laporan',
                        'verbose_name_plural': 'pengiriman laporan',
                        'db_table': 'kesbang_reportdelivery',
                        'ordering': ['report', 'email'],
                    },
                ),
                migrations.CreateModel(
                    name='WeeklySummaryDelivery',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('pending', 'Menunggu'), ('sent', 'Terkirim'), ('failed', 'Gagal')], db_index=True, default='pending', max_length=10, verbose_name='status')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='percobaan')),
                        ('claimed_at', models.DateTimeField(blank=True, null=True, verbose_name='diklaim')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='dikirim')),
                        ('last_error', models.TextField(blank=True, verbose_name='galat terakhir')),
                        ('recipient', models.TextField(blank=True, verbose_name='penerima')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='dibuat')),
                        ('email', models.EmailField(max_length=254, verbose_name='email penerima')),
                        ('summary', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='office.weeklysummary', verbose_name='ringkasan')),
                    ],
                    options={
                        'verbose_name': 'pengiriman ringkasan mingguan',
                        'verbose_name_plural': 'pengiriman ringkasan mingguan',
                        'db_table': 'kesbang_weeklysummarydelivery',
                        'ordering': ['summary', 'email'],
                    },
                ),
                migrations.AddIndex(
                    model_name='report',
                    index=models.Index(fields=['status', 'progress_at'], name='report_status_progress'),
                ),
                migrations.AddConstraint(
                    model_name='report',
                    constraint=models.UniqueConstraint(fields=('kind', 'period', 'region', 'version'), name='report_version_unique', violation_error_message='Versi laporan ini sudah ada; coba lagi.'),
                ),
                migrations.AddConstraint(
                    model_name='report',
                    constraint=models.UniqueConstraint(condition=models.Q(('scheduled', True)), fields=('kind', 'period', 'region'), name='report_scheduled_once', violation_error_message='Laporan terjadwal untuk periode ini sudah dibuat.'),
                ),
                migrations.AddConstraint(
                    model_name='report',
                    constraint=models.CheckConstraint(condition=models.Q(('progress__lte', 100)), name='report_progress_range', violation_error_message='Kemajuan harus antara 0 dan 100.'),
                ),
                migrations.AddConstraint(
                    model_name='report',
                    constraint=models.CheckConstraint(condition=models.Q(('period_end__gte', models.F('period_start'))), name='report_period_ordered', violation_error_message='Akhir periode tidak boleh sebelum awalnya.'),
                ),
                migrations.AddConstraint(
                    model_name='reportdelivery',
                    constraint=models.UniqueConstraint(fields=('report', 'email'), name='reportdelivery_once'),
                ),
                migrations.AddConstraint(
                    model_name='weeklysummarydelivery',
                    constraint=models.UniqueConstraint(fields=('summary', 'email'), name='weeklysummarydelivery_once'),
                ),
            ],
        ),
    ]
