"""The office's models moved to the ``office`` app (``kesbang/office/``): removed from this app's
state only. Their tables stay as they are and are the office models' tables now (``db_table``);
``office/0001_initial`` takes them over, ``office/0002`` moves their content types."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('kesbang', '0010_audit_kinds_merged'),
        ('office', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(
                    name='NonWorkingDay',
                ),
                migrations.DeleteModel(
                    name='Recipient',
                ),
                migrations.RemoveField(
                    model_name='reportdelivery',
                    name='report',
                ),
                migrations.RemoveField(
                    model_name='weeklysummarydelivery',
                    name='summary',
                ),
                migrations.DeleteModel(
                    name='Report',
                ),
                migrations.DeleteModel(
                    name='ReportDelivery',
                ),
                migrations.DeleteModel(
                    name='WeeklySummary',
                ),
                migrations.DeleteModel(
                    name='WeeklySummaryDelivery',
                ),
            ],
        ),
    ]
