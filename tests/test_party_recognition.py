"""How contracts drafted outside the common-law templates name their parties and their advisor.

Civil-law instruments ("hereinafter the CONTRACTED PARTY"), public tenders ("the Awardee"),
order forms with acronyms ("(SCIT)") and charters name the parties in ways the bracketed
``Acme Ltd ("Acme")`` form does not cover; every rule that asks "which party" depends on these
names being read. Each case is our own drafting.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from contract_audit import aliases as A
from contract_audit import qualifiers as Q
from contract_audit.extract import extract
from contract_audit.rules import load_rules

VOCAB = A.Vocabulary.from_cues(load_rules().cues, Q.NOT_A_PARTY)


def roles(text: str) -> dict[str, str]:
    return {a.name: a.role for a in A.find_aliases(text, VOCAB)}


def assert_advisor_only_with(text: str, name: str, words: str, instead: str) -> None:
    """``name`` is the advisor in ``text``, and is not once ``words`` read ``instead``: the
    reading hangs on those words, not on the name alone."""
    assert roles(text).get(name) == "advisor"
    assert roles(text.replace(words, instead)).get(name) != "advisor"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "By this private instrument, VALE VERDE SISTEMAS LTDA., with registered office in "
            "Londrina, hereinafter the CONTRACTED PARTY; and COOPERATIVA SERRA AZUL, an "
            "agricultural cooperative, hereinafter the CONTRACTING PARTY, agree as follows.\n"
            "1. The CONTRACTED PARTY provides managed technology services to the CONTRACTING "
            "PARTY.\n2. The CONTRACTING PARTY shall pay the CONTRACTED PARTY monthly.\n",
            {"CONTRACTED PARTY": "provider", "CONTRACTING PARTY": "client"},
            id="unquoted-hereinafter-caps",
        ),
        pytest.param(
            "Between CLINICA LOS ANDES S.A.S., a health services provider domiciled in Cali, "
            "hereinafter THE INSTITUTION, and REDES DEL VALLE LTDA., hereinafter THE SUPPLIER, "
            "it is agreed:\nFIRST. THE SUPPLIER shall provide infrastructure administration.\n"
            "SECOND. THE INSTITUTION shall pay THE SUPPLIER monthly.\n",
            # "a health services provider" describes the clinic's business, not its role here
            {"INSTITUTION": "client"},
            id="hereinafter-after-a-description",
        ),
        pytest.param(
            '1.1 The Municipal Transport Company of Villa Norte S.E. (the "Company") awards '
            'the tender to REDES PAMPEANAS S.R.L. (the "Awardee").\n'
            "2.1 The Awardee shall provide help desk support for 90 users.\n"
            "2.2 The Company shall pay the Awardee monthly.\n",
            {"Company": "client", "Awardee": "provider"},
            id="latin-american-legal-forms",
        ),
        pytest.param(
            'This contract is made between Kingsbridge District Council ("the Council") and '
            'Oakfield Digital Ltd ("the Contractor").\n1. The Contractor shall supply IT support '
            "to the Council.\n2. The Council shall pay the Contractor quarterly.\n",
            {"Council": "client"},
            id="named-in-the-between-sentence",
        ),
        pytest.param(
            "Client: Harbourview Dental Group Pty Ltd ACN 123 456 789 (Harbourview)\n"
            "Provider: Southern Cross IT Pty Ltd ACN 987 654 321 (SCIT)\n"
            "1. SCIT will provide a virtual CIO to Harbourview.\n"
            "2. Harbourview will pay SCIT monthly.\n3. SCIT will monitor Harbourview's network.\n",
            {"SCIT": "provider", "Harbourview": "client"},
            id="unquoted-acronym-of-a-legal-name",
        ),
        pytest.param(
            '1.2 The Board has contracted with Prairie Wind Managed IT, LLC ("PWMIT") for '
            "managed infrastructure services.\n3.1 PWMIT shall furnish an experienced healthcare "
            "technology executive to serve as the District's Outsourced Chief Information "
            "Officer.\n",
            {"PWMIT": "provider"},
            id="furnishes-someone-to-serve-as-cio",
        ),
        pytest.param(
            "BETWEEN Infogérance du Rhin SAS, a simplified joint-stock company, represented by "
            'its Chairman, hereinafter "IDR" or "the Service Provider",\nAND Verrerie de Colmar '
            'SA, represented by its Chief Executive, hereinafter "the Client",\n'
            "1. IDR supervises the Client's servers.\n",
            {"IDR": "provider"},
            id="hereinafter-name-or-role",
        ),
        pytest.param(
            'HALYARD DESK - Plan Terms\nIn these terms, "Halyard", "we" and "us" mean '
            'Halyard Desk Services Limited, and "you" means the business that signs up.\n'
            "1. Devices on your plan have to be bought through Halyard.\n"
            "2. We will send you an invoice each month.\n",
            {"Halyard": "provider"},
            id="name-defined-with-we-in-a-sentence",
        ),
        pytest.param(
            'These terms are issued by the Orchard Growers Association. Here "Orchard", '
            '"you" and "your" refer to the Association, and "we" means Tallis Tech Ltd.\n'
            "1. We will provide helpdesk support to you.\n2. You will pay us monthly.\n",
            {"Orchard": "client"},
            id="name-defined-with-you-in-a-sentence",
        ),
        pytest.param(
            'CORRIEDALE SUPPORT - ONLINE TERMS\n"We", "us" and "our" mean Corriedale Support '
            'Inc., a Manitoba corporation. "You" means the veterinary clinic named on the order.\n'
            "1. Printers and laptops are ordered through Corriedale.\n"
            "2. Corriedale keeps any rebate. Corriedale invoices you monthly.\n",
            {"Corriedale": "provider"},
            id="pronouns-defined-as-the-legal-name",
        ),
        pytest.param(
            "By this private instrument, CONTRACTOR: SERRA AZUL REDES LTDA., hereinafter simply "
            '"CONTRACTOR"; and CONTRACTING PARTY: MOURA E LIMA ADVOGADOS, a law partnership, '
            'hereinafter "CONTRACTING PARTY" or "FIRM", agree as follows.\n'
            "1. The CONTRACTOR provides managed IT services to the FIRM.\n"
            "2. The FIRM pays the CONTRACTOR monthly.\n",
            {"CONTRACTING PARTY": "client", "FIRM": "client"},
            id="hereinafter-second-name-a-word-the-rules-know",
        ),
        pytest.param(
            "This SOW is issued between:\nMERANTI RESORTS BERHAD (Registration No. 19990001), of "
            'Jalan Ampang ("Meranti" or the "Group"); and\nAWAN DIGITAL SDN. BHD. (Registration '
            'No. 20100002), of Petaling Jaya ("Awan").\n2.1 Awan shall make the Strategy Partner '
            "available to act as the Group's senior technology advisor.\n",
            {"Meranti": "client", "Group": "client", "Awan": "provider"},
            id="malaysian-forms-in-capitals-and-an-advisor-made-available",
        ),
        pytest.param(
            "This Agreement is made between:\n(1) FJORDLINE TANKERS AS, org. no. 912 000 111, "
            'Bergen ("Fjordline" or the "Company"); and\n(2) KAIKANT DRIFT AS, org. no. 913 000 '
            '222, Oslo (the "Contractor").\n',
            {"Fjordline": "client"},
            id="norwegian-as",
        ),
        pytest.param(
            'PRACTICE ONLINE TERMS\nIn these Terms, "we", "us" and "our" mean Saguaro IT Partners, '
            'LLC, an Arizona company. "You" means the practice named on your enrollment page.\n'
            "1. You buy workstations through the Saguaro procurement desk.\n"
            "2. Saguaro invoices you monthly.\n",
            {"Saguaro": "provider"},
            id="lower-case-pronouns-defined-as-the-legal-name",
        ),
        pytest.param(
            "BETWEEN:\n\nLIONSGATE VALLEY CREDIT UNION, a credit union incorporated under the laws "
            'of British Columbia\n\n(the "CREDIT UNION")\n\nAND:\n\nHARBOUR LIGHT SYSTEMS '
            'LTD., a company incorporated in British Columbia\n\n(the "PROVIDER")\n\n'
            "1. The PROVIDER operates the CREDIT UNION's service desk.\n",
            {"CREDIT UNION": "client"},
            id="bracket-a-blank-line-below-its-description",
        ),
        pytest.param(
            "BETWEEN:\nMAPLE READING FOUNDATION, a registered charity "
            '("Maple", "we", "us" or "our")\nAND:\nCANAL CIRCUIT TECHNOLOGIES INC., an Ontario '
            'corporation ("Canal")\n'
            "1. Canal will look after our computers and will supply a senior person to act as our "
            '"Technology Director" on a part-time basis.\n',
            {"Maple": "client", "Canal": "provider"},
            id="the-pronoun-party-is-the-opposite-of-the-one-supplying-the-advisor",
        ),
        pytest.param(
            'On the one part, FARO MUTUAL DE SEGUROS S.A., hereinafter "THE INSURER";\n'
            'And on the other part, NODO SUR SISTEMAS S.R.L., hereinafter "THE PROVIDER";\n'
            'THE INSURER and THE PROVIDER being hereinafter jointly referred to as "THE PARTIES".\n'
            "FIRST. THE PROVIDER shall render managed infrastructure services to THE INSURER.\n"
            "SECOND. THE INSURER shall pay THE PROVIDER a monthly fee.\n"
            "THIRD. THE PARTIES shall bear the stamp tax in equal parts.\n",
            {"THE INSURER": "client", "THE PARTIES": None},
            id="the-joint-name-of-both-parties-is-no-party",
        ),
        pytest.param(
            "SUPPLEMENTARY AGREEMENT\n\nbetween\n\nAarberg Feinmechanik AG, Seestrasse 4, 8002 "
            'Zurich ("Aarberg")\n\nand\n\nPilatus Netz AG, Bahnhofstrasse 2, 6003 Lucerne '
            '("Pilatus Netz")\n\n1.1 Pilatus Netz operates the network of Aarberg. Pilatus Netz '
            'shall in addition make available a Technology Governance Officer ("TGO").\n',
            {"Aarberg": "client", "Pilatus Netz": "provider"},
            id="the-party-that-makes-the-advisor-available",
        ),
    ],
)
def test_parties_named_outside_the_usual_brackets(text: str, expected: dict[str, str]) -> None:
    found = roles(text)
    assert {name: found.get(name) for name in expected} == expected


def test_a_letter_address_block_does_not_make_a_third_party() -> None:
    """The client's legal name in the address block, bracketed only at its later mention: one
    party, so the two-party reading of the preamble still holds."""
    text = (
        "Ms Aoife Brennan\nManaging Director\nKilcoole Joinery Limited\nWicklow\n\n"
        'Dear Aoife\n\nThank you for asking me to support Kilcoole Joinery Limited ("the '
        'Company") as its Technology Mentor. I, Rory Doyle, trading as Doyle Advisory ("I", '
        '"me"), will act on the terms below.\n1. Kilcoole Joinery expects growth. Kilcoole '
        "Joinery runs spreadsheets. Kilcoole Joinery pays monthly.\n"
    )
    found = roles(text)
    assert found.get("Company") == "client"
    assert "Kilcoole Joinery" not in found


@pytest.mark.parametrize(
    ("text", "advisor"),
    [
        pytest.param(
            '1.3 "TPL" means the Technology Planning Lead nominated by the Provider under '
            "Clause 3.\n3.1 The TPL shall prepare the annual IT budget.\n",
            "TPL",
            id="acronym-defined-as-a-title-followed-by-its-particulars",
        ),
        pytest.param(
            '1.1.6 "Digital Strategy Partner" means the senior technology adviser employed by the '
            "Supplier and seconded to the Customer.\n",
            "Digital Strategy Partner",
            id="defined-as-the-providers-adviser",
        ),
        pytest.param(
            'This letter sets out the terms on which Wrenhurst Advisory LLC ("Wrenhurst", "we"), '
            "acting through its principal, Amara Osei, will serve as fractional Chief Information "
            "Officer of Dunmore Tools, Inc.\n1. Ms. Osei will lead Dunmore's IT function.\n",
            "Amara Osei",
            id="principal-named-mid-sentence",
        ),
        pytest.param(
            '1.4 "Technology Steering Partner" means the Brightfold senior consultant named in '
            "Schedule B, assigned to act as the Client's part-time head of technology.\n",
            "Technology Steering Partner",
            id="defined-as-the-providers-senior-consultant",
        ),
        pytest.param(
            'Datos del Sur S.R.L. (the "Awardee") shall provide the services of an Outsourced '
            'Director of Technology (the "Director"). The Director shall prepare the technology '
            "plan.\n",
            "Outsourced Director of Technology",
            id="short-form-before-of",
        ),
        pytest.param(
            "THE SUPPLIER shall provide the services of an IT Governance Coordinator.\n"
            "The Coordinator shall direct the annual technology planning of THE FUND.\n"
            "The Coordinator shall deliver a monthly report.\n",
            "IT Governance Coordinator",
            id="introduced-once-then-used-by-its-head",
        ),
        pytest.param(
            'These terms are between Foxglove IT Ltd ("Foxglove", "we") and the customer named '
            'in the Order Form ("you").\n1. We will provide a Technology Navigator who will '
            "advise you on your technology roadmap.\n2. The Navigator will meet you monthly. "
            "The Navigator reports to your managing director.\n",
            "Technology Navigator",
            id="who-will-advise",
        ),
        pytest.param(
            "Contractor will furnish a seasoned technology leader to fill that role on a "
            'part-time basis (the "Interim Systems Executive" or "ISE").\n'
            "2. The ISE will chair the IT steering group.\n",
            "ISE",
            id="second-name-in-an-advisor-bracket",
        ),
        pytest.param(
            '1.4 "Principal Technology Consultant" or "PTC" means the senior Brackley staff '
            "member assigned to the Technology Leadership services.\n"
            "5.1 The PTC will observe Brackley's pricing guidelines.\n",
            "PTC",
            id="second-name-of-a-title-the-rules-read-by-its-head",
        ),
        pytest.param(
            '1.3 "Fractional Technology Executive" or "FTE" means the senior technologist whom '
            "the Service Provider assigns to the Strategic Technology Services.\n"
            "6.1 The FTE remains an employee of the Service Provider.\n",
            "FTE",
            id="defined-as-a-technologist",
        ),
        pytest.param(
            "§ 1 Definitions\n1) Ordering Party - the company named in the heading;\n"
            "2) Virtual IT Manager or VITM - the natural person designated by the Contractor "
            "under § 4 to perform the functions in § 3;\n§ 3(1) The VITM shall advise the "
            "Management Board on information technology.\n",
            "VITM",
            id="unquoted-definition-in-a-numbered-list",
        ),
        pytest.param(
            'This agreement is between Lindqvist Retail AB (the "Company") and Norrsken Advisory '
            'AB (the "Consultant"), acting through its sole director, Ms. Elin Norrsken (the '
            '"Named Expert").\n1. The Consultant shall provide IT advisory services.\n'
            "2. The Named Expert shall attend the Company's board meetings.\n",
            "Named Expert",
            id="the-person-a-firm-acts-through",
        ),
        pytest.param(
            '1.1 "Client Technology Officer" or "CTO" means the Provider employee designated to '
            "serve as the Client's outsourced chief information officer.\n"
            "5.2 The Provider may replace the CTO at any time.\n",
            "CTO",
            id="a-known-title-defined-as-this-advisor-s-second-name",
        ),
        pytest.param(
            'Article 1 - Definitions\n1.1 In this Agreement:\na. "Services": the services in '
            'Schedule 1;\nb. "Digital Operations Lead" or "DOL": the natural person designated by '
            "the Provider to advise the Client on its use of technology;\n",
            "DOL",
            id="continental-definition-list-with-colons",
        ),
        pytest.param(
            '"Nominated Director" means Mr Ewan Laird or any replacement appointed under paragraph '
            '5;\n"Virtual IT Director" means the part-time technology leadership service described '
            "in paragraph 2, delivered by the Nominated Director.\n"
            "2.1 The Nominated Director shall advise the Company on technology strategy.\n",
            "Virtual IT Director",
            id="a-title-defined-as-the-service-an-advisor-delivers",
        ),
        pytest.param(
            '1.2 "Digital Skipper" means the Tidewater team member we assign to give you '
            "technology advice.\n2.1 Your Digital Skipper will prepare a roadmap.\n",
            "Digital Skipper",
            id="a-team-member-who-gives-advice",
        ),
        pytest.param(
            "B. The Company wishes to engage the Consultant to make the Named Expert available to "
            "act as the Company's part-time Chief Technology Officer.\n"
            "2. The Named Expert shall attend board meetings.\n",
            "Named Expert",
            id="a-person-made-available-to-act-as-the-officer",
        ),
        pytest.param(
            "3.1 The Consultancy shall provide the Services through the Named Partner, who shall "
            "act as the Company's Chief Information Officer.\n"
            "3.2 The Named Partner shall report to the Finance Director.\n",
            "Named Partner",
            id="through-a-person-who-shall-act-as-the-officer",
        ),
        pytest.param(
            "SECOND. The CONTRACTOR shall provide the services of a Responsable de Sistemas TI "
            '(Technology Strategy Lead) (hereinafter, the "Lead").\n'
            "2.1 The Lead shall advise the CLIENT on its technology strategy.\n",
            "Lead",
            id="a-translated-title-glossed-in-brackets-then-defined-hereinafter-comma",
        ),
        pytest.param(
            "1.1 In this Contract:\n"
            "Buyer Data means all data the Supplier holds under this Contract.\n"
            "Digital Lead means the individual named in Schedule 1 who performs the role of "
            "Fractional Chief Digital Officer.\n"
            "3.2 The Digital Lead will lead the Buyer's digital strategy.\n",
            "Digital Lead",
            id="an-unquoted-definition-line-for-a-person",
        ),
        pytest.param(
            'We provide a named technology advisor we call "your Tech Coach." Your Tech Coach '
            "reviews your roadmap.\n",
            "Tech Coach",
            id="we-call",
        ),
        pytest.param(
            "4.1 The Key Person will act as the Buyer's Virtual Chief Digital Officer.\n"
            "4.2 The Key Person will attend the leadership meeting.\n",
            "Key Person",
            id="numbered-act-as",
        ),
        pytest.param(
            'Membership includes the services of a Farm Systems Wayfinder (the "Wayfinder"), '
            "a Tallgrass team member who helps you plan your technology.\n"
            "2. The Wayfinder reports to our practice lead.\n",
            "Wayfinder",
            id="short-for-a-technology-title-a-person-holds",
        ),
    ],
)
def test_advisor_titles_read_from_how_the_contract_uses_them(text: str, advisor: str) -> None:
    assert roles(text).get(advisor) == "advisor"


def test_an_unquoted_definition_line_for_a_service_names_no_advisor() -> None:
    """Only a person is read from an unquoted definition line: "Virtual CIO Services means the
    strategic advisory services ..." stays a service."""
    text = (
        "Virtual CIO Services means the strategic advisory services described in Schedule 2.\n"
        "2.1 Provider shall deliver the Virtual CIO Services monthly.\n"
    )
    assert "Virtual CIO Services" not in roles(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        pytest.param(
            "PROVIDER\n\nName: Danubit Kft.\n\nRepresented by: B. Orkenyi, managing director\n\n"
            '(the "Provider")\n\nCLIENT\n\nName: Halmos es Tarsai Ugyvedi Iroda\n\n'
            'Represented by: Dr. E. Halmos, managing partner\n\n(the "Firm")\n\n'
            "1. The Provider shall advise the Firm on its technology.\n",
            "Firm",
            id="an-order-form-block-heading-decides-its-bracket-whatever-the-word-usually-means",
        ),
        pytest.param(
            "CONSULTING SERVICES AGREEMENT\n\nBETWEEN:\n\nWILLOW BEND CREE NATION, a band within "
            "the meaning of the Indian Act (Canada), with offices at Box 310, Willow Bend\n\n"
            '(the "Nation")\n\n- and -\n\nTEAGAN MORIN, an independent consultant residing in '
            'Edmonton\n\n(the "Consultant")\n\n1. The Consultant shall advise the Nation.\n',
            "Nation",
            id="a-capitalised-name-paragraph-under-between-is-a-party-whatever-its-legal-form",
        ),
    ],
)
def test_a_party_block_closed_by_a_bracket_on_its_own_line(text: str, name: str) -> None:
    """A bracket on a line of its own closes the party block above it: an order form's role
    heading ("CLIENT" above the field lines) or a preamble paragraph opening with a name in
    capitals under "BETWEEN" makes it a party, here opposite the provider."""
    assert roles(text).get(name) == "client"


def test_a_preamble_purchaser_reads_as_the_client() -> None:
    """ "the Purchaser" is a word the rules know, but patterns are written with "client": a
    preamble defining it as a party makes it read as the client."""
    text = (
        'BETWEEN:\n(1) MAWINGU NET LIMITED, a company incorporated in Kenya (the "Vendor"); and\n'
        '(2) RIFT VALLEY FLOWERS LIMITED, a company incorporated in Kenya (the "Purchaser").\n'
        "1. The Vendor shall provide managed ICT services to the Purchaser.\n"
    )
    canonical = {a.name: a.canonical for a in A.find_aliases(text, VOCAB)}
    assert canonical.get("Purchaser") == "client"
    # the Vendor beside the client, with no partner: the provider (see the purchase-order test)
    assert canonical.get("Vendor") == "provider"


def test_a_letter_from_the_client_pairs_you_with_the_consultant() -> None:
    """'engages you, trading as Lingkar Advisory ("you")': a bracket of pronouns alone pairs
    the name before it, and a letter in which "you will devote" and "report directly to" reads
    as written by the client, so "you" is the consultant's firm and "we" the client."""
    text = (
        "Dear Ms. Lim,\n\nWe are pleased to confirm the terms on which Seri Mutiara Berhad "
        '("the Company", "we") engages you, trading as Lim Digital Advisory ("you"), as '
        "Interim Chief Information Officer.\n1. You will report directly to our Chief Executive.\n"
        "2. You will devote three days a week to the Company.\n"
        "3. We will pay your fees monthly.\n"
    )
    found = roles(text)
    assert found.get("Lim Digital Advisory") == "provider"
    assert found.get("we") == "client" and found.get("you") == "provider"


def test_the_clients_own_officer_and_its_service_terms_are_no_names() -> None:
    """The client's officer "currently" holding a technology title is not the advisor, and a
    defined term for what is delivered ("the Advisory Services") is not a party."""
    text = (
        'This agreement is between Fjordlys Bolig AS (the "Customer") and Nordkapp Drift AS '
        '(the "Supplier").\n1. The Supplier shall second a Digital Advisor to perform the '
        'advisory services in Appendix 1 (the "Advisory Services").\n'
        "2. The Customer's Head of Digital Services, currently Ingrid Solberg, steers the "
        "assignment.\n3. The Digital Advisor reports to Ingrid Solberg.\n"
    )
    found = roles(text)
    assert "Advisory Services" not in found
    assert found.get("Ingrid Solberg") != "advisor" and found.get("Digital Services") is None


def test_a_vendors_programme_terms_read_we_as_the_vendor_and_you_as_the_partner() -> None:
    """In a vendor's partner programme, "we" is the vendor and "you" the managed service provider
    it signs up: neither is the client ("we pay you a rebate" is vendor money to the provider)."""
    text = (
        'These Partner Terms are made between Corrib Signal Limited ("Corrib", "we", "us") and '
        'the managed service provider named in the Enrolment Form ("Partner", "you", "your").\n'
        "1. We pay you a quarterly rebate on every seat you resell to your End Customers.\n"
    )
    found = {a.name: a.canonical for a in A.find_aliases(text, VOCAB)}
    assert found["Corrib"] == "vendor" and found["we"] == "vendor" and found["us"] == "vendor"
    assert found["Partner"] == "provider" and found["you"] == "provider"
    # an ordinary provider's terms keep the usual reading of the pronouns
    plain = text.replace('("Partner", "you", "your")', '("Customer", "you", "your")')
    plain_found = {a.name: a.role for a in A.find_aliases(plain, VOCAB)}
    assert "vendor" not in plain_found.values()


def test_a_party_word_defined_for_one_person_reads_as_the_consultant() -> None:
    """'(2) INÊS ..., acting as an independent professional ... (the "Service Provider")': the
    party is one person, so "the Service Provider" reads as the consultant (a party and an
    advisor word at once), while a firm's "Service Provider" reads as the plain party word."""
    text = (
        "BETWEEN:\n\n(1) TEJO PAGAMENTOS, S.A., a company incorporated under Portuguese law "
        '(the "Client"); and\n\n(2) MARTA SOUSA LIMA, resident in Oeiras, acting as an '
        'independent professional in IT consultancy (the "Service Provider").\n\n'
        "1.1 The Service Provider shall act as the Client's fractional CTO.\n"
    )
    found = {a.name: a.canonical for a in A.find_aliases(text, VOCAB)}
    assert found.get("Service Provider") == "consultant"
    firm = text.replace(
        "MARTA SOUSA LIMA, resident in Oeiras, acting as an independent professional in IT "
        "consultancy",
        "ALFAMA DIGITAL, LDA., a company providing IT consultancy services",
    )
    firm_found = {a.name: a.canonical for a in A.find_aliases(firm, VOCAB)}
    assert firm_found.get("Service Provider", "provider") == "provider"


def test_a_partys_own_officer_holding_a_plain_title_is_not_the_advisor() -> None:
    """ "the Bank's Chief Information Officer, currently ..." is the client's officer whoever the
    Bank is; a title held from outside ("Fractional CIO") still names the advisor."""
    text = (
        'This order is between Hallvik Sparebank ASA (the "Bank") and Tindra Drift AS (the '
        '"Supplier").\n1. The Advisor reports to the Bank’s Chief Information Officer, '
        "currently Ms Tove Lindahl, who sets the Advisor's priorities.\n"
        "2. The Supplier's Fractional CIO, currently Mr Anders Vik, chairs the steering group.\n"
    )
    found = roles(text)
    assert found.get("Tove Lindahl") is None and found.get("Ms Tove Lindahl") is None
    assert "advisor" in {found.get("Anders Vik"), found.get("Mr Anders Vik")}
    # a title the pattern reads only from its last words ("Systems and Technology Manager")
    cut = text.replace("Chief Information Officer", "Systems and Technology Manager")
    found = roles(cut)
    assert not {"Technology Manager", "Tove Lindahl", "Ms Tove Lindahl"} & set(found)


def test_a_title_used_once_is_no_advisor_without_its_head_in_use() -> None:
    """One mention of "IT Governance Coordinator" and no "the Coordinator" after it: nothing
    says the title has a holder who advises."""
    text = "The Fund may later appoint an IT Governance Coordinator to direct technology planning."
    assert "IT Governance Coordinator" not in roles(text)


def test_a_consultant_contracting_in_person_is_the_advisor_too() -> None:
    """An independent consultant who is the party reads as "consultant" (a party word and an
    advisor word at once); a consulting firm stays the provider."""
    person = (
        'Kamo Brewing Co., Ltd. (the "Principal") and Emi Tanaka, an independent information '
        'technology consultant trading as Tanaka IT Office (the "Mandatary"), agree as follows.\n'
        "1. The Mandatary shall provide IT advisory services and prepare the Principal's IT plan.\n"
        "2. The Principal shall pay the Mandatary a monthly fee.\n"
    )
    firm = person.replace(
        "Emi Tanaka, an independent information technology consultant trading as Tanaka IT Office",
        "Tanaka IT Office KK, a technology consulting company",
    )
    canonical = {a.name: a.canonical for a in A.find_aliases(person, VOCAB)}
    assert canonical.get("Mandatary") == "consultant"
    canonical = {a.name: a.canonical for a in A.find_aliases(firm, VOCAB)}
    assert canonical.get("Mandatary") == "provider"


def test_an_advisor_of_another_field_is_not_the_it_advisor() -> None:
    """'The Agency assigns Ms. Dian Paramitha as Creative Advisor' in an event agency's contract
    names no IT advisor; a technology title, or an advisor noun with only a rank before it, does."""
    agency = "4.1 The Agency assigns Ms. Dian Paramitha as Creative Advisor for the Campaign.\n"
    assert "Dian Paramitha" not in roles(agency)
    assert "Creative Advisor" not in roles(agency)
    msp = "4.1 The Provider assigns Ms. Dian Paramitha as Technology Advisor for the Client.\n"
    assert roles(msp).get("Dian Paramitha") == "advisor"


def test_a_dealer_agreement_reads_the_distributor_as_the_vendor() -> None:
    """A preamble naming the "Dealer" beside the "Distributor" without brackets is a vendor's
    dealer agreement: the dealer is the provider side, its counterparty the vendor (read as the
    client, every rule about the client's data and money would misfire)."""
    text = (
        'Limited Liability Partnership "Step Soft", hereinafter referred to as the "Distributor", '
        'on the one hand, and Limited Liability Partnership "Altyn IT", hereinafter referred to '
        'as the "Dealer", on the other hand, have concluded this Agreement.\n'
        "1. The Distributor grants the Dealer the right to resell Products to End Customers.\n"
        "2. The Dealer provides IT outsourcing services to End Customers and shall pay the "
        "Distributor for the Products within 30 days.\n"
        "3. The Dealer shall provide the Distributor with monthly sales reports.\n"
    )
    assert roles(text) == {"Distributor": "vendor", "Dealer": "provider"}
    # the same preamble with a client word for the counterparty keeps it the client
    client = text.replace('"Distributor"', '"Customer"').replace("the Distributor", "the Customer")
    assert roles(client).get("Customer") != "vendor"


def test_parties_under_a_between_line_and_in_a_colon_hereinafter() -> None:
    """Continental preambles: a party paragraph under "concluded between" / "and" lines, closed by
    a bracket on its own line, and "(hereinafter: the Ordering Party)" after a d.o.o."""
    vienna = (
        "CONTRACT FOR SERVICES\n\nconcluded between\n\nVerein Klangwerk - Association for Chamber "
        'Music, represented by its President\n\n(hereinafter "the Client")\n\nand\n\n'
        "DI Mara Lenz, independent IT consultant, Gasse 4, 1070 Vienna\n\n"
        '(hereinafter "the Contractor")\n\n§ 1 The Contractor shall act as fractional CIO.\n'
    )
    canonical = {a.name: a.canonical for a in A.find_aliases(vienna, VOCAB)}
    assert canonical.get("Contractor") == "consultant"  # one person: provider and advisor
    belgrade = (
        "Concluded in Belgrade between:\n1) NOVA FARM d.o.o. Beograd, represented by its "
        "Director (hereinafter: the Ordering Party), and\n2) SISTEMI d.o.o. Novi Sad, represented "
        "by its Director (hereinafter: the Service Provider).\n"
        "1. The Service Provider shall provide IT support to the Ordering Party.\n"
    )
    assert roles(belgrade) == {"Ordering Party": "client", "Service Provider": "provider"}


def test_an_individual_entrepreneur_named_with_hereinafter_is_the_advisor_too() -> None:
    text = (
        '"Code Works" LLC (hereinafter "the Customer"), on the one side, and Individual '
        'Entrepreneur Aram Petrosyan (registration no. 273.11), hereinafter "the Executor", on '
        "the other side, have concluded this Agreement.\n"
        "1. The Executor shall provide the services listed in Annex 1 to the Customer.\n"
    )
    canonical = {a.name: a.canonical for a in A.find_aliases(text, VOCAB)}
    assert canonical.get("Executor") == "consultant"


def test_a_quoted_title_designated_without_a_bracket_names_the_advisor() -> None:
    text = (
        "The Provider delivers the advisory services through a senior consultant designated the "
        '"Technology Advisory Lead" or "TAL".\nThe TAL shall attend each board meeting.\n'
    )
    found = roles(text)
    assert found.get("Technology Advisory Lead") == "advisor"
    assert found.get("TAL") == "advisor"
    assert "Logistics Advisor" not in roles(
        text.replace("Technology Advisory Lead", "Logistics Advisor")
    )


def test_a_title_an_advisor_word_qualifies_names_the_advisor_when_used_alone() -> None:
    """'a vCIO Success Partner', then "your Success Partner will ...": the invented title is the
    advisor's; used alone only once, or qualified by no advisor word, it is nobody's."""
    text = (
        "The Premier plan includes a vCIO Pathfinder Guide who plans your technology.\n"
        "Your Pathfinder Guide meets you each quarter. We may replace your Pathfinder Guide "
        "at any time.\n"
    )
    assert roles(text).get("Pathfinder Guide") == "advisor"
    once = text.replace("We may replace your Pathfinder Guide at any time.", "")
    assert "Pathfinder Guide" not in roles(once)
    plain = text.replace("a vCIO Pathfinder Guide", "a Pathfinder Guide")
    assert "Pathfinder Guide" not in roles(plain)


def test_a_dash_hereinafter_and_an_individual_merchant() -> None:
    """Baltic preambles: '(hereinafter – the Principal)', and an individual merchant who is one
    person, the provider and its advisor at once."""
    text = (
        'SIA "Baltic Crane", represented by its Board Member (hereinafter – the Principal), on the '
        'one side, and Individual merchant "Ozols IT", represented by its owner Juris Ozols '
        "(hereinafter – the Contractor), on the other side, conclude this agreement:\n"
        "1. The Contractor shall serve as part-time CIO of the Principal.\n"
    )
    canonical = {a.name: a.canonical for a in A.find_aliases(text, VOCAB)}
    assert canonical.get("Principal") == "client"
    assert canonical.get("Contractor") == "consultant"
    company = text.replace("Individual merchant", "Limited company")
    assert {a.name: a.canonical for a in A.find_aliases(company, VOCAB)}.get("Contractor") != (
        "consultant"
    )


def test_a_purchase_orders_vendor_beside_its_buyer_is_the_provider() -> None:
    """A purchase order calls the IT provider "the Vendor"; a programme's "Vendor" beside its
    "Partner" stays the vendor whose products the partner sells."""
    order = (
        'PURCHASE ORDER\nBuyer : Lembah Plastics Sdn. Bhd. ("the Buyer")\n'
        'Vendor : Pantai Systems Sdn. Bhd. ("the Vendor")\n'
        "1. The Vendor shall provide managed IT services and a vCIO to the Buyer.\n"
    )
    assert roles(order).get("Vendor") == "provider"
    programme = (
        'This agreement is between Lumio GmbH ("Vendor") and Acme IT Ltd (the "Partner").\n'
        "1. The Partner shall resell the Vendor's products to its customers.\n"
    )
    assert roles(programme).get("Vendor") != "provider"


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        pytest.param(
            "Concluded on 2 May 2025 in Skopje, between:\n1. Mlekara VARDAR DOOEL Veles, "
            'represented by its Manager (hereinafter: "the Client"),\nand\n2. ORBIS-NET AD '
            'Skopje, represented by its Manager (hereinafter: "the Executor").\n'
            "1. The Executor shall maintain the Client's information system.\n",
            "Executor",
            "provider",
            id="balkan-legal-forms",
        ),
        pytest.param(
            'BIOCELL OÜ (hereinafter "the Client") and TEHNO OÜ (hereinafter "the Service '
            'Provider") conclude this agreement.\n1.2. The Services shall be performed personally '
            "by Siim Tamm, the sole shareholder of the Service Provider (hereinafter the Key "
            "Person).\n2.1. The Key Person shall dedicate eight days per month to the Services.\n",
            "Key Person",
            "advisor",
            id="a-person-performing-the-services-personally",
        ),
        pytest.param(
            '1.2 "IT Consultant" means the employee of the Contractor who is assigned under '
            "Clause 3 to give advice to the Employer's management.\n"
            "3.1 The IT Consultant shall attend the monthly meeting.\n",
            "IT Consultant",
            "advisor",
            id="a-defined-technology-title-ending-in-a-party-word",
        ),
        pytest.param(
            '"Consultant" means the technology advisory consultant assigned by the Service '
            "Provider under Clause 4;\n4.1 The Consultant shall advise the Customer.\n",
            "Consultant",
            "advisor",
            id="a-party-word-defined-as-the-person-another-party-assigns",
        ),
        pytest.param(
            "The Performer appoints from among the employees of its sales department an IT "
            'development manager (hereinafter the "Manager").\n2. The Manager prepares the plan.\n',
            "Manager",
            "advisor",
            id="appointed-from-among-its-employees",
        ),
        pytest.param(
            'Its director, Imogen Hale (the "Individual"), has agreed to act through the Supplier '
            "as the Charity's part-time interim Head of Digital.\n",
            "Individual",
            "advisor",
            id="has-agreed-to-act-through-the-supplier-as",
        ),
        pytest.param(
            "Between FLORES S.A.S., legally represented by its manager, who for the purposes of "
            "this contract shall be called THE CONTRACTING PARTY; and JUAN PEREZ, of legal age, "
            "who shall be called THE CONTRACTOR.\nFIRST. THE CONTRACTOR advises THE CONTRACTING "
            "PARTY.\n",
            "CONTRACTING PARTY",
            "client",
            id="shall-be-called-unquoted",
        ),
    ],
)
def test_names_read_from_a_civil_law_preamble(text: str, name: str, role: str) -> None:
    assert roles(text).get(name) == role


def test_a_letter_from_the_advisor_names_its_client_and_sets_vendors_aside() -> None:
    """'Thank you for asking me to serve as the fractional CIO of Boudreaux LLP (the "Firm")':
    the firm the advisor serves is the client; 'Pelican Docket Systems, Inc., which sells ...
    software' is a vendor, not the other party."""
    text = (
        "Dear Ray:\n\nThank you for asking me to serve as the fractional Chief Information "
        'Officer of Boudreaux Castille, L.L.P. (the "Firm"). This letter sets out my terms.\n'
        "1. I will oversee the Firm's IT support company.\n"
        "7. I sit on an advisory board of Pelican Docket Systems, Inc., which sells billing "
        "software to law firms. Pelican granted me options. I will disclose the Pelican options.\n"
    )
    found = roles(text)
    assert found.get("Firm") == "client"
    assert found.get("Pelican") != "provider"


def test_when_we_say_we_mean_names_the_parties() -> None:
    text = (
        'When we say "we", "us" or "Tidewater", we mean Tidewater Byteworks, LLC, an Alaska '
        'company. When we say "you" or "the Co-op", we mean Kasilof Bay Harvesters Cooperative.\n'
        "1. Tidewater monitors the Co-op's network.\n"
    )
    found = roles(text)
    assert found.get("Tidewater") == "provider"
    assert found.get("Co-op") == "client"


def test_a_provider_calling_itself_the_company_beside_the_client() -> None:
    """Gulf and South Asian terms: "between the Company and the Client" makes the Company, a
    client word everywhere else, the provider; a Company beside a Consultant stays the client."""
    order = (
        "The Company:   Qurain Systems Co. W.L.L.\nThe Client:    Sanabel Trading Co.\n"
        "1. The Company shall provide managed IT services to the Client.\n"
    )
    assert {a.name: a.canonical for a in A.find_aliases(order, VOCAB)}.get("Company") == (
        "provider"
    )
    consulting = (
        'Birchfield Foods Ltd (the "Company") engages Dana Lee (the "Consultant") as its '
        "fractional CIO.\n1. The Consultant shall advise the Company.\n"
    )
    assert "Company" not in {a.name for a in A.find_aliases(consulting, VOCAB)}


def test_a_service_defined_in_a_bracket_is_no_advisor() -> None:
    text = (
        "The Contractor provides (a) the operation of the Principal's IT infrastructure "
        '("IT Operations") and (b) the services of an external CIO.\n'
        "The external CIO advises the Principal. IT Operations are billed monthly.\n"
    )
    assert "IT Operations" not in roles(text)


def test_a_defined_person_guiding_technology_planning_is_the_advisor() -> None:
    text = (
        '"Harbor Pilot" means the senior technologist Marshgrass assigns to Customer\'s account to '
        "guide Customer's technology planning.\n1. The Harbor Pilot meets Customer monthly.\n"
    )
    assert roles(text).get("Harbor Pilot") == "advisor"
    other = text.replace("guide Customer's technology planning", "repair Customer's printers")
    assert "Harbor Pilot" not in roles(other)


def test_party_a_and_party_b() -> None:
    """ "Party A" is the client of a services contract, the vendor of a partner agreement; "Party
    B" is the provider either way."""
    body = (
        "PARTY A: SAO VIET SOFTWARE JSC\nRepresented by: Mr. Tran, General Director\n"
        "PARTY B: MINH PHAT SERVICES CO., LTD.\nRepresented by: Ms. Le, Director\n"
        "1. Party B shall perform the services for Party A.\n"
    )
    services = roles("IT SERVICES CONTRACT\n" + body)
    assert services == {"Party A": "client", "Party B": "provider"}
    partner = roles("AUTHORIZED PARTNER AGREEMENT\n" + body)
    assert partner == {"Party A": "vendor", "Party B": "provider"}


def test_contracting_and_contracted_party_labels() -> None:
    """A Brazilian preamble's "CONTRACTING PARTY:" (contratante) is the client and its
    "CONTRACTED PARTY:" (contratada) the provider; a party word the rules know, bracketed after
    the technology title of the provider's professional, is that advisor's short name."""
    text = (
        "SERVICES AGREEMENT\n\n"
        "CONTRACTING PARTY: PINHAL FOODS S.A., represented by its director;\n\n"
        "CONTRACTED PARTY: SERRA DIGITAL LTDA., represented by its managing partner;\n\n"
        "1.1. The CONTRACTED PARTY shall allocate a professional qualified as Digital Planning "
        'Consultant (the "CONSULTANT").\n1.2. The CONSULTANT shall advise the CONTRACTING PARTY.\n'
    )
    found = roles(text)
    assert found == {
        "Contracting Party": "client",
        "Contracted Party": "provider",
        "CONSULTANT": "advisor",
    }
    # one label alone ("the Contracting Parties" of a Czech contract) names no party
    alone = text.replace("CONTRACTED PARTY: SERRA", "SUPPLIER: SERRA")
    assert "Contracting Party" not in {a.name for a in A.find_aliases(alone, VOCAB)}


def test_a_russian_style_preamble_and_a_lower_case_advisor_title() -> None:
    """'hereinafter referred to as "the Executor"' is the provider beside "the Customer"; a
    "hereinafter" after "the Parties agreed on the following" names a person or a document, not
    a party; 'appoints an IT development supervisor (hereinafter "the Supervisor")' names the
    advisor, though its title is written in lower case."""
    text = (
        '"Kura Drilling" LLC, hereinafter referred to as "the Customer", on the one part, and\n'
        '"Absheron Soft" LLC, hereinafter referred to as "the Executor", on the other part, '
        "have concluded this Contract, and the Parties agreed on the following:\n"
        '1.1. The Executor appoints an IT development supervisor (hereinafter "the Supervisor").\n'
        '1.2. The Supervisor prepares the IT Development Plan (hereinafter "the Plan").\n'
    )
    found = roles(text)
    assert found.get("Executor") == "provider"
    assert found.get("Supervisor") == "advisor"
    assert "Plan" not in found
    croatian = (
        '1. HOTELI d.d., represented by its President (hereinafter: "the Client"), and\n'
        '2. BIT d.o.o., represented by its Director (hereinafter: "the Service Provider").\n'
        "(1) The Service Provider shall assign one of its employees, who shall perform the "
        'function of chief IT consultant (hereinafter: "the Consultant").\n'
    )
    assert roles(croatian).get("Consultant") == "advisor"


def test_a_bracketed_short_title_followed_by_a_member_of_the_team() -> None:
    """'a Lab Technology Pathfinder (your "Pathfinder"). The Pathfinder is the member of our
    team who ...': the person is described in the next sentence."""
    text = (
        'Ironwood ("we") provides managed IT and access to a Lab Technology Pathfinder (your '
        '"Pathfinder"). The Pathfinder is the member of our team who helps you plan ahead.\n'
    )
    assert roles(text).get("Pathfinder") == "advisor"
    other = text.replace("the member of our team who helps", "the report that helps")
    assert roles(other).get("Pathfinder") != "advisor"


def test_first_and_second_party_and_a_party_under_a_between_line() -> None:
    """'hereinafter referred to as the "FIRST PARTY"' / "SECOND PARTY" read like Party A / B
    (the first the vendor in a reseller agreement); a bracket closing the paragraph under a
    "BETWEEN:" line names a party whatever its name looks like."""
    ordinal = (
        "CLOUD RESELLER COOPERATION AGREEMENT\n"
        "I. PT AWAN RAYA, represented by its President Director, hereinafter referred to as the "
        '"FIRST PARTY".\nII. PT TEKNO JAYA, represented by its Director, hereinafter referred to '
        'as the "SECOND PARTY".\n1. The SECOND PARTY resells subscriptions of the FIRST PARTY.\n'
    )
    found = roles(ordinal)
    assert found == {"First Party": "vendor", "Second Party": "provider"}
    between = (
        "BETWEEN:\nCANADA, as represented by the President of the Coastal Data Agency "
        '("Canada" or the "Agency")\nAND:\nFJORD SYSTEMS INC., a corporation (the "Contractor")\n'
        "1. The Contractor supports the Agency.\n"
    )
    assert roles(between).get("Agency") == "client"


def test_a_person_signing_for_a_company_is_no_individual_party() -> None:
    """'JULIAN PERDOMO, of legal age, ..., acting as legal representative of NUBEANDES S.A.S.,
    who shall be called THE CONTRACTOR': the company is the party, so "CONTRACTOR" keeps its
    ordinary reading instead of becoming the individual consultant."""
    text = (
        "Between ANA RUIZ, of legal age, acting as Rector of the UNIVERSITY, who shall be called "
        "THE UNIVERSITY; and JULIAN PERDOMO, of legal age, acting as legal representative of "
        "NUBEANDES S.A.S., who shall be called THE CONTRACTOR.\n"
    )
    found = {a.name: a for a in A.find_aliases(text, VOCAB)}
    assert "CONTRACTOR" not in found or found["CONTRACTOR"].canonical != "consultant"
    alone = text.replace("acting as legal representative of NUBEANDES S.A.S., ", "")
    assert {a.name: a for a in A.find_aliases(alone, VOCAB)}["CONTRACTOR"].canonical == "consultant"


def test_referred_to_here_as_and_a_client_described_after_the_providers_bracket() -> None:
    """'(referred to here as "Tallgrass," "we," ...)' names the provider, and the client
    described in lower case after it ('and the business that subscribes to a Tallgrass plan')
    still stands in the preamble's "between"."""
    text = (
        "These Service Terms are a binding agreement between Prairie Line Networks, LLC, an Iowa "
        'limited liability company (referred to here as "Tallgrass," "we," "us" or "our"), with '
        "offices at 12 Grand Avenue, Ames, Iowa, and the business that subscribes to a Tallgrass "
        'plan (the "Member," "you" or "your").\n1. We run your help desk.\n'
    )
    found = roles(text)
    assert found.get("Tallgrass") == "provider"
    assert found.get("Member") == "client"
    plain = text.replace("referred to here as ", "referred to as ")
    assert roles(plain).get("Tallgrass") == "provider"
    unrelated = text.replace(
        ", and the business that subscribes", ". Nothing binds the business that subscribes"
    )
    assert roles(unrelated).get("Member") != "client"


def test_a_brand_title_glossed_as_our_name_for_a_technology_adviser() -> None:
    """'a Harbor Scout, our name for the senior technology adviser who ...' is the advisor; the
    same gloss of a help-desk role is not."""
    text = (
        "Every member on the Plus plan is assigned a Harbor Scout, our name for the senior "
        "technology adviser who helps you plan ahead.\nYour Harbor Scout meets you quarterly.\n"
    )
    assert_advisor_only_with(
        text,
        "Harbor Scout",
        "senior technology adviser who helps you plan ahead",
        "help-desk queue",
    )


def test_a_lower_case_title_appointed_to_advise_is_the_advisor() -> None:
    """'shall appoint from among its employees an IT coordinator whose task is to prepare the
    Client's IT development plan ... and to advise the Client': the duties make the unbracketed
    title the advisor's; the same title appointed to run backups is not."""
    text = (
        "Article 4\n(1) The Contractor shall appoint from among its employees an IT coordinator "
        "whose task is to prepare the Client's IT development plan and to advise the Client on "
        "the renewal of equipment.\n(2) The IT coordinator reports twice a year.\n"
    )
    assert_advisor_only_with(
        text,
        "IT coordinator",
        "prepare the Client's IT development plan and to advise the Client on the renewal of "
        "equipment",
        "run the nightly backups of the Client's servers",
    )


def test_a_post_defined_after_its_present_holder_is_no_party() -> None:
    """'places at its disposal a mandate lead ..., currently Mr Olivier Perrenoud (hereinafter
    "the Mandate Lead"), who advises the directorate': the bracket names the advisor's post,
    not a party, although "described in" reads like a party's description."""
    text = (
        'between the Foundation (hereinafter "the Contracting Authority") and Rhodanet SA '
        '(hereinafter "the Contractor").\n1 The Contractor places at the disposal of the '
        "Contracting Authority a mandate lead holding the qualifications described in its offer, "
        'currently Mr Luc Favre (hereinafter "the Mandate Lead"), who advises the directorate on '
        "the budget of the information systems.\n"
    )
    assert_advisor_only_with(text, "Mandate Lead", "currently Mr Luc Favre ", "")


def test_a_defined_person_seconded_to_act_as_an_it_lead_is_the_advisor() -> None:
    """'"Steering Lead" means the individual seconded ... to act as the Company's technology
    steering lead': an IT leader's role in the definition; a person seconded to act as the
    Company's receptionist is no advisor."""
    text = (
        '"Steering Lead" means the individual seconded by the Service Provider to act as the '
        "Company's technology steering lead, initially Ms Ada Trott; and\n"
        "The Steering Lead shall devote six days a month to the Company.\n"
    )
    assert_advisor_only_with(text, "Steering Lead", "technology steering lead", "receptionist")


def test_a_lower_case_title_named_with_its_holder_and_advisory_duties_is_the_advisor() -> None:
    """'The Supplier indicates as technology contact person Mr Luca Bertinetti, who shall assist
    the Client in the evaluation of technological choices': the lower-case title and its holder
    are the advisor, and the title is read where a heading capitalises it; the same title
    holding the help-desk telephone is not."""
    text = (
        "Art. 3 - Technology contact person\n3.1 The Supplier indicates as technology contact "
        "person Mr Luca Bertinetti, who shall assist the Client in the evaluation of "
        "technological choices and the planning of investments.\n3.2 The technology contact "
        "person shall be present at the Client's offices every two weeks.\n"
    )
    assert roles(text).get("Luca Bertinetti") == "advisor"
    aliases = A.find_aliases(text, VOCAB)
    starts = [a for a, _b, _c in A.mentions(text, aliases)]
    assert text.index("Technology contact person") in starts  # the heading's capital T
    assert_advisor_only_with(
        text,
        "technology contact person",
        "assist the Client in the evaluation of technological choices and the planning of "
        "investments",
        "answer the help-desk telephone",
    )


def test_a_bracket_with_its_article_in_capitals_shortens_the_title_before_it() -> None:
    """'with the title of IT advisory specialist (hereinafter, "THE SPECIALIST"), who shall
    advise THE COMPANY': the capitalised article does not hide that the bracket shortens a
    technology title held by a professional."""
    text = (
        "2.2 Item 05 consists of the assignment to THE COMPANY of a professional from THE "
        "SUPPLIER's staff, with the title of IT advisory specialist (hereinafter, \"THE "
        'SPECIALIST"), who shall advise THE COMPANY in the planning of its technology.\n'
        "4.2 THE SUPPLIER may replace THE SPECIALIST at any moment.\n"
    )
    assert_advisor_only_with(
        text, "THE SPECIALIST", "with the title of IT advisory specialist", "from the warehouse"
    )


def test_a_party_that_pays_the_channel_partner_is_the_vendor() -> None:
    """'the Aggregator shall pay the Partner a quarterly consumption rebate': beside a channel
    partner, the party set aside as a vendor and named by its trade is read as the vendor (so
    "first offer to the Aggregator" is an offer to the vendor); a brand name, or an aggregator
    without a channel partner, stays unaliased."""
    text = (
        "This Cloud Partner Agreement is entered into in Sharjah on 3 May 2025 by and between:"
        "\n\n1. MIRQAB CLOUD DISTRIBUTION FZE, a free zone establishment with its office in "
        'Sharjah (hereinafter the "Aggregator"); and\n\n2. BARAKA IT SOLUTIONS L.L.C., a '
        'limited liability company with its office in Ajman (hereinafter the "Partner").\n\n'
        "WHEREAS the Partner provides managed IT services to small businesses and wishes to "
        "resell cloud subscriptions.\n2. The Aggregator appoints the Partner as a non-exclusive "
        "reseller.\n3. The Aggregator shall pay the Partner a quarterly "
        "consumption rebate of three per cent.\n4. The Partner shall first offer to the "
        "Aggregator every opportunity.\n"
    )
    assert roles(text).get("Aggregator") == "vendor"
    direct = text.replace("Partner", "Customer")
    assert roles(direct).get("Aggregator") != "vendor"
    brand = text.replace("Aggregator", "Mirqab")
    assert "Mirqab" not in roles(brand)


def test_guillemet_quoted_parties_and_advisor(tmp_path: Path) -> None:
    """A translated contract quoting its defined terms in guillemets names its parties and its
    advisor as one quoted with straight quotes does (extraction reads « » as quotes)."""
    path = tmp_path / "md.txt"
    path.write_text(
        "\u00abPan Cald\u00bb SRL, hereinafter referred to as the \u00abBeneficiary\u00bb, and "
        "\u00abRetea Plus\u00bb SRL, hereinafter referred to as the \u00abProvider\u00bb, conclude "
        "this Contract.\n2.1. The Provider nominates an IT development coordinator (hereinafter - "
        "the \u00abCoordinator\u00bb) from among its employees.\n2.2. The Coordinator advises the "
        "management of the Beneficiary on information technology.\n",
        encoding="utf-8",
    )
    found = {a.name: a.role for a in A.find_aliases(extract(path).text, VOCAB)}
    assert found.get("Coordinator") == "advisor"
    assert found.get("Beneficiary") == "client"
