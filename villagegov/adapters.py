from allauth.account.adapter import DefaultAccountAdapter


class VillageAccountAdapter(DefaultAccountAdapter):
    pass
