#!/usr/bin/env python3
"""Write the synthetic reports of corpus/ with their expected tables.

Fictional agencies; numbers drawn from a fixed seed so that every arithmetic
rule of the templates holds (unless a case damages them on purpose). Each
case folder gets input.{txt,html} and expected.json (same format as the
shared corpus truth.json). To be replaced by `gongkai gen` (issue 4).
"""
import json, os, random

R = random.Random(20261128)
APPL = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total"]
COLS_NAMES = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
RES_COMMON = [
    ("granted", "（一）予以公开", None), ("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None),
    ("withheld_state_secret", "1.属于国家秘密", "（三）不予公开"), ("withheld_prohibited_by_law", "2.其他法律行政法规禁止公开", None),
    ("withheld_three_safeties", "3.危及“三安全一稳定”", None), ("withheld_third_party", "4.保护第三方合法权益", None),
    ("withheld_internal_affairs", "5.属于三类内部事务信息", None), ("withheld_process_info", "6.属于四类过程性信息", None),
    ("withheld_enforcement_file", "7.属于行政执法案卷", None), ("withheld_query", "8.属于行政查询事项", None),
    ("unavailable_not_held", "1.本机关不掌握相关政府信息", "（四）无法提供"), ("unavailable_needs_creation", "2.没有现成信息需要另行制作", None),
    ("unavailable_unclear", "3.补正后申请内容仍不明确", None),
    ("not_processed_petition", "1.信访举报投诉类申请", "（五）不予处理"), ("not_processed_duplicate", "2.重复申请", None),
    ("not_processed_publication", "3.要求提供公开出版物", None), ("not_processed_excessive", "4.无正当理由大量反复申请", None),
    ("not_processed_confirmation", "5.要求行政机关确认或重新出具已获取信息", None),
]
RES_2019 = RES_COMMON + [("other_handling", "（六）其他处理", None)]
RES_2021 = RES_COMMON + [
    ("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "（六）其他处理"),
    ("other_fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", None),
    ("other_misc", "3.其他", None),
]

def small(hi=6):
    return R.choice([0, 0, 0, 0, R.randint(1, hi), R.randint(1, hi * 3)])

def requests(tpl):
    res = RES_2019 if tpl == "2019" else RES_2021
    rows = {}
    def row(vals):
        return dict(zip(APPL, vals + [sum(vals)]))
    for key, _, _ in res:
        rows[key] = row([small() for _ in range(6)])
    handled = [sum(rows[k][c] for k, _, _ in res) for c in APPL[:6]]
    carried_over = [R.choice([0, 0, R.randint(0, 3)]) for _ in range(6)]
    forward = [min(carried_over[i] + R.randint(0, 2), handled[i] + carried_over[i]) for i in range(6)]
    new = [handled[i] + forward[i] - carried_over[i] for i in range(6)]
    out = {"new_received": row(new), "carried_over": row(carried_over)}
    out.update(rows)
    out["total_handled"] = row(handled)
    out["carried_forward"] = row(forward)
    return out, res

def reviews():
    out = {}
    for g in ["review", "lawsuit_direct", "lawsuit_after_review"]:
        v = [small(3) for _ in range(4)]
        out[g] = dict(zip(["upheld", "corrected", "other", "pending", "total"], v + [sum(v)]))
    return out

def proactive(tpl):
    if tpl == "2019":
        return {
            "item_1": {"rules": dict(new_made=0, new_published=0, total_published=R.randint(0, 9)),
                       "normative": dict(new_made=(a := R.randint(1, 40)), new_published=a, total_published=a + R.randint(10, 200))},
            "item_5": {"licensing": dict(previous=R.randint(0, 90), change=R.randint(-9, 9), decisions=R.randint(0, 900)),
                       "other_services": dict(previous=R.randint(0, 50), change=R.randint(-5, 5), decisions=R.randint(0, 300))},
            "item_6": {"penalty": dict(previous=R.randint(0, 90), change=R.randint(-9, 9), decisions=R.randint(0, 900)),
                       "enforcement": dict(previous=R.randint(0, 20), change=0, decisions=R.randint(0, 40))},
            "item_8": {"fees": dict(previous=R.randint(0, 9), change=R.randint(-2, 2))},
            "item_9": {"procurement": dict(projects=R.randint(0, 30), amount=round(R.uniform(10, 900), 2))},
        }
    return {
        "item_1": {"rules": dict(issued=0, repealed=0, in_force=R.randint(0, 5)),
                   "normative": dict(issued=R.randint(0, 30), repealed=R.randint(0, 9), in_force=R.randint(30, 300))},
        "item_5": {"licensing": dict(decisions=R.randint(0, 3000))},
        "item_6": {"penalty": dict(decisions=R.randint(0, 900)), "enforcement": dict(decisions=R.randint(0, 60))},
        "item_8": {"fees": dict(amount=round(R.uniform(0, 500), 4))},
    }

P_BLOCKS = {
    "2019": [("item_1", "第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"], [("rules", "规章"), ("normative", "规范性文件")]),
             ("item_5", "第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"], [("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")]),
             ("item_6", "第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"], [("penalty", "行政处罚"), ("enforcement", "行政强制")]),
             ("item_8", "第二十条第（八）项", ["上一年项目数量", "本年增/减"], [("fees", "行政事业性收费")]),
             ("item_9", "第二十条第（九）项", ["采购项目数量", "采购总金额"], [("procurement", "政府集中采购")])],
    "2021": [("item_1", "第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"], [("rules", "规章"), ("normative", "行政规范性文件")]),
             ("item_5", "第二十条第（五）项", ["本年处理决定数量"], [("licensing", "行政许可")]),
             ("item_6", "第二十条第（六）项", ["本年处理决定数量"], [("penalty", "行政处罚"), ("enforcement", "行政强制")]),
             ("item_8", "第二十条第（八）项", ["本年收费金额（单位：万元）"], [("fees", "行政事业性收费")])],
}

def fmt(v, unit=""):
    return f"{v}{unit}"

def report(agency, year, tpl):
    p = proactive(tpl); q, res = requests(tpl); r = reviews()
    return dict(agency=agency, year=year, tpl=tpl, proactive=p, requests=q, res=res, reviews=r)

def rows_of(rep):
    """Table rows as lists of cells (label cells then values), template order."""
    t2 = []
    for bkey, cap, cols, rws in P_BLOCKS[rep["tpl"]]:
        t2.append([cap])
        t2.append(["信息内容"] + cols)
        for rk, label in rws:
            vals = list(rep["proactive"][bkey][rk].values())
            cells = [fmt(v, "万元" if bkey == "item_9" and i == 1 else "") for i, v in enumerate(vals)]
            t2.append([label] + cells)
    t3 = [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
          ["自然人", "法人或其他组织", "总计"], ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]]
    q = rep["requests"]
    def vals(k):
        return [str(q[k][c]) for c in APPL]
    t3.append(["一、本年新收政府信息公开申请数量"] + vals("new_received"))
    t3.append(["二、上年结转政府信息公开申请数量"] + vals("carried_over"))
    first = True
    for key, label, grp in rep["res"]:
        lead = []
        if first:
            lead.append("三、本年度办理结果"); first = False
        if grp:
            lead.append(grp)
        t3.append(lead + [label] + vals(key))
    t3.append(["（七）总计"] + vals("total_handled"))
    t3.append(["四、结转下年度继续办理"] + vals("carried_forward"))
    rv = rep["reviews"]
    t4 = [["行政复议", "行政诉讼"], ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
          ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
          [str(v) for g in rv.values() for v in g.values()]]
    return t2, t3, t4

def narrative(rep, n):
    return {
        1: [f"{rep['year']}年，{rep['agency']}坚持以公开为常态、不公开为例外，全年主动公开政府信息{R.randint(50, 900)}条。",
            f"本报告所列数据的统计期限自{rep['year']}年1月1日起至{rep['year']}年12月31日止。如对本报告有疑问，请联系电话：0000-1234567，电子邮箱：gongkai@example.org。"],
        5: ["主要问题是政策解读形式还不够丰富。下一步将加强培训，提升公开质量。"],
        6: [f"{rep['year']}年，本机关未收取信息处理费。"],
    }.get(n, [])

HEADS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
         "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]

def as_text(rep, style, damage=None):
    t2, t3, t4 = rows_of(rep)
    if damage:
        damage(t2, t3, t4)
    out = [f"{rep['agency']}{rep['year']}年政府信息公开工作年度报告"]
    for i, h in enumerate(HEADS, 1):
        out.append(h)
        out += narrative(rep, i)
        table = {2: t2, 3: t3, 4: t4}.get(i)
        if table:
            for row in table:
                if style == "rows":
                    out.append(" | ".join(row) + " |")
                else:  # one cell per line
                    out += [c + " |" for c in row]
    return "\n".join(out) + "\n"

def as_html(rep, charset="utf-8", damage=None):
    t2, t3, t4 = rows_of(rep)
    if damage:
        damage(t2, t3, t4)
    def table(rows):
        trs = "".join("<tr>" + "".join(f"<td><p><span>{c}</span></p></td>" for c in r) + "</tr>\n" for r in rows)
        return f'<table border="1" class="MsoNormalTable">\n{trs}</table>\n'
    body = [f"<h1>{rep['agency']}{rep['year']}年政府信息公开工作年度报告</h1>", f"<p>发布日期：{rep['year'] + 1}-01-20</p>"]
    for i, h in enumerate(HEADS, 1):
        body.append(f"<p><strong>{h}</strong></p>")
        body += [f"<p>{s}</p>" for s in narrative(rep, i)]
        tb = {2: t2, 3: t3, 4: t4}.get(i)
        if tb:
            body.append(table(tb))
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    return (f"<!DOCTYPE html><html><head>{meta}<title>{rep['agency']}{rep['year']}年政府信息公开工作年度报告</title>"
            f'<meta name="PubDate" content="{rep["year"] + 1}-01-20 09:00"><script>var nav="一、总体情况";</script></head><body>'
            '<div class="nav"><a href="/">首页</a> 政务公开 信息公开年报</div>'
            '<div class="article">' + "\n".join(body) + "</div>"
            '<div class="footer">主办单位：示例网站 技术支持 0000-0000000</div></body></html>\n')

def expected(rep, malformed, why, drop=(), ambiguous=()):
    tables = {"proactive": rep["proactive"], "requests": rep["requests"], "reviews_and_lawsuits": rep["reviews"]}
    for path in drop:
        parts = path.split(".")
        node = tables
        for k in parts[:-1]:
            node = node[k]
        node.pop(parts[-1], None)
    return {"template": rep["tpl"], "year": rep["year"], "agency": rep["agency"], "malformed": malformed,
            "why": why, "ambiguous": list(ambiguous), "tables": tables}

def write(name, filename, content, exp, encoding="utf-8"):
    d = os.path.join(os.path.dirname(__file__), "..", "corpus", name)
    os.makedirs(d, exist_ok=True)
    data = content.encode(encoding) if isinstance(content, str) else content
    with open(os.path.join(d, filename), "wb") as f:
        f.write(data)
    with open(os.path.join(d, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(exp, f, ensure_ascii=False, indent=1)
        f.write("\n")

def main():
    rep = report("青禾县自然资源局", 2022, "2021")
    write("01-html-2021-utf8", "input.html", as_html(rep), expected(rep, False, "clean"))
    rep = report("白鹭市交通运输局", 2019, "2019")
    write("02-text-2019-cell-per-line", "input.txt", as_text(rep, "cells"), expected(rep, False, "clean"))
    rep = report("云岭镇人民政府", 2023, "2021")
    write("03-text-2021-rows", "input.txt", as_text(rep, "rows"), expected(rep, False, "clean"))
    rep = report("东川省统计局", 2020, "2019")
    write("04-html-2019-gb18030", "input.html", as_html(rep, charset="gb2312"), expected(rep, False, "clean; GB18030 bytes declared as gb2312"), encoding="gb18030")
    rep = report("南溪区卫生健康局", 2021, "2021")
    def drop_cell(t2, t3, t4):
        del t3[6][3]  # （二）部分公开 loses its 商业企业 cell: later cells shift left
    write("05-text-2021-dropped-cell", "input.txt", as_text(rep, "rows", drop_cell),
          expected(rep, True, "damaged: one cell of （二）部分公开 deleted", ambiguous=["requests.partially_granted"]))
    rep = report("金沙市人民政府办公室", 2019, "2019")
    rep["requests"]["total_handled"]["total"] += 3
    write("06-html-2019-rule-broken", "input.html", as_html(rep),
          expected(rep, True, "A1/A2/A3 broken on purpose: （七）总计 total is 3 too high"))
    rep = report("北岗县教育局", 2024, "2021")
    text = as_text(rep, "cells")
    cut = text.index("（三）不予公开")
    write("07-text-2021-truncated", "input.txt", text[:cut],
          expected(rep, True, "truncated inside section 三", drop=["requests." + k for k, _, _ in RES_2021[2:]] + ["requests.total_handled", "requests.carried_forward", "reviews_and_lawsuits"]))
    rep = report("河口街道办事处", 2020, "2019")
    def placeholders(t2, t3, t4):
        t2[3][1:] = ["/", "—", "无"]  # 规范性文件 row written as placeholders
    exp = expected(rep, False, "placeholders stay null")
    exp["tables"]["proactive"]["item_1"]["normative"] = {"new_made": None, "new_published": None, "total_published": None}
    write("08-text-2019-placeholders", "input.txt", as_text(rep, "rows", placeholders), exp)
    d = os.path.join(os.path.dirname(__file__), "..", "corpus", "09-not-a-report")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "input.html"), "w", encoding="utf-8") as f:
        f.write("<html><head><title>通知公告</title></head><body><div class='nav'>首页</div><p>关于开展2024年度安全生产检查的通知。</p></body></html>\n")
    with open(os.path.join(d, "expected.json"), "w", encoding="utf-8") as f:
        json.dump({"template": "unknown", "malformed": True, "why": "not a report", "ambiguous": [], "tables": {}}, f, ensure_ascii=False, indent=1)
        f.write("\n")

main()
