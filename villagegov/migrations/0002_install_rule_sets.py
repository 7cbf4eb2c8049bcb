from django.db import migrations


def install(apps, schema_editor):
    from villagegov.rulesets import install_rule_sets

    install_rule_sets(
        apps.get_model("villagegov", "RuleSet"),
        apps.get_model("villagegov", "BodyRule"),
        apps.get_model("villagegov", "Threshold"),
    )


class Migration(migrations.Migration):
    dependencies = [("villagegov", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
