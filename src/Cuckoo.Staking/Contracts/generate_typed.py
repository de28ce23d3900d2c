# Writes CaiToken.Typed.cs and CuckooStaking.Typed.cs from solc's ABI (contracts/build/*.json, made by node contracts/compile.mjs).
# Usage: python3 src/Cuckoo.Staking/Contracts/generate_typed.py
import json, re, sys
import os
root=os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
names = {
 ('stakeOf',0):'Staker', ('registrationOf',0):'Staker', ('voteSharesOf',0):'Candidate', ('voteSharesOf',1):'Voter',
 ('rewardsOf',0):'Account', ('slashedBpsInEpoch',0):'Staker', ('slashedBpsInEpoch',1):'Epoch',
 ('balanceOf',0):'Account', ('consentNonceOf',0):'Candidate', ('evidenceUsed',0):'EvidenceId', ('allowance',0):'Owner', ('allowance',1):'Spender', ('lastFaucetAt',0):'Account',
}
# Properties that would hide a member of Nethereum's FunctionMessage (its transaction Nonce).
renames = {('registrationDigest',3):'ConsentNonce'}
def pascal(s):
    s=s.strip('_')
    if s.isupper() or '_' in s:
        return ''.join(w.capitalize() for w in s.split('_'))
    return s[0].upper()+s[1:]
# Solidity structs become classes named here (Task would shadow System.Threading.Tasks.Task in this namespace).
struct_names = {'struct CuckooStaking.Task':'TaskStruct', 'struct CuckooStaking.Evidence':'EvidenceStruct'}
structs = {}
def cstype(t, p=None):
    if t=='tuple':
        nm=struct_names[p['internalType']]
        structs[nm]=p
        return nm
    if t.endswith('[]'): return 'List<%s>' % cstype(t[:-2])
    if t.startswith('uint') or t.startswith('int'): return 'BigInteger'
    if t=='address': return 'string'
    if t=='bool': return 'bool'
    if t=='string': return 'string'
    if t.startswith('bytes'): return 'byte[]'
    raise Exception(t)
def default(t, p=None):
    c=cstype(t, p)
    if t=='tuple': return ' = new();'
    return {'string':' = "";','byte[]':' = [];'}.get(c, ' = [];' if c.startswith('List') else '')
def params(inputs, fn, indexed=False):
    out=[]
    for i,p in enumerate(inputs):
        nm = p['name'] or names.get((fn,i)) or 'Arg%d'%i
        prop = renames.get((fn,i)) or pascal(nm)
        idx = ', true' if indexed and p.get('indexed') else (', false' if indexed else '')
        out.append('    [Parameter("%s", "%s", %d%s)]\n    public %s %s { get; set; }%s\n' % (p['type'], p['name'], i+1, idx, cstype(p['type'], p), prop, default(p['type'], p)))
    return '\n'.join(out)
def gen(contract, ns, summary):
    abi=json.load(open(f'{root}/contracts/build/{contract}.json'))['abi']
    parts=[]; fns=[]; evs=[]; errs=[]
    for e in abi:
        if e['type']=='constructor':
            parts.append(f'''/// <summary>The constructor's arguments; set <c>ByteCode</c> to the creation bytecode from solc's output at run time.</summary>
public sealed class {contract}Deployment() : ContractDeploymentMessage("")
{{
{params(e['inputs'], 'constructor')}}}
''')
        elif e['type']=='function':
            n=e['name']; cls=pascal(n)+'Function'; fns.append(cls)
            outs=e['outputs']
            if len(outs)>1:
                o=pascal(n)+'Output'
                attr=f'[Function("{n}", typeof({o}))]'
                parts.append(f'''[FunctionOutput]
public sealed class {o} : IFunctionOutputDTO
{{
{params(outs, n+'#out')}}}
''')
            elif len(outs)==1:
                attr=f'[Function("{n}", "{outs[0]["type"]}")]'
            else:
                attr=f'[Function("{n}")]'
            body=params(e['inputs'], n)
            parts.append(f'''{attr}
public sealed class {cls} : FunctionMessage
{{
{body}}}
''' if body else f'''{attr}
public sealed class {cls} : FunctionMessage;
''')
        elif e['type']=='event':
            cls=e['name']+'Event'; evs.append(cls)
            parts.append(f'''[Event("{e['name']}")]
public sealed class {cls} : IEventDTO
{{
{params(e['inputs'], e['name'], indexed=True)}}}
''')
        elif e['type']=='error':
            cls=e['name']+'Error'; errs.append(cls)
            body=params(e['inputs'], e['name'])
            parts.append(f'''[Error("{e['name']}")]
public sealed class {cls} : IErrorDTO
{{
{body}}}
''' if body else f'''[Error("{e['name']}")]
public sealed class {cls} : IErrorDTO;
''')
    for nm, p in sorted(structs.items()):
        sol=p['internalType'].split('.')[-1]
        parts.append(f'''[Struct("{sol}")]
public sealed class {nm}
{{
{params(p['components'], nm)}}}
''')
    structs.clear()
    lst=lambda xs: ''.join(f'        typeof({x}),\n' for x in xs)
    reg=f'''/// <summary>Every typed class of {contract}, as the drift test and the clients enumerate them.</summary>
public static class {contract}Types
{{
    public static IReadOnlyList<Type> Functions {{ get; }} =
    [
{lst(fns)}    ];

    public static IReadOnlyList<Type> Events {{ get; }} =
    [
{lst(evs)}    ];

    public static IReadOnlyList<Type> Errors {{ get; }} =
    [
{lst(errs)}    ];
}}
'''
    head=f'''// Typed Nethereum classes for contracts/src/{contract}.sol: one FunctionMessage per function, [FunctionOutput] for
// multi-value returns, [Event] and [Error] classes. Written from solc's ABI (contracts/build/{contract}.json);
// ContractDriftTests fails when the Solidity and these classes disagree.
using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Cuckoo.Staking.Contracts.{ns};

#pragma warning disable CA1819 // byte[] properties are how Nethereum maps bytes32

'''
    open(f'{root}/src/Cuckoo.Staking/Contracts/{contract}.Typed.cs','w').write(head+'\n'.join(parts)+'\n'+reg)
gen('CaiToken','CaiToken','')
gen('CuckooStaking','CuckooStaking','')
